from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import ApiToken
from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record


def _home_path(user) -> str:
    """Where a user's own records (their tokens) appear in the change log: their member's unit."""
    member = getattr(user, "member", None)
    return member.unit.path if member is not None else ""


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=ApiToken.digest_of(raw))
    audit_record(actor=user, action=AuditEntry.Action.CREATE, obj=token, unit_path=_home_path(user),
                 changes={"name": [None, name], "prefix": [None, token.prefix]})
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, obj=token, unit_path=_home_path(token.user),
                 changes={"name": [token.name, None], "prefix": [token.prefix, None]})
    token.delete()


def token_user(raw: str):
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user
