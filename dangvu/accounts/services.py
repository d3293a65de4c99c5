from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import ApiToken


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=ApiToken.digest_of(raw))
    return token, raw


def token_user(raw: str):
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user
