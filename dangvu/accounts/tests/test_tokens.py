"""API tokens carry a scope and an expiry (issue 24: they carried all of the user's rights, forever)."""

import datetime

from django.utils import timezone

from dangvu.accounts.models import ApiToken
from dangvu.accounts.services import token_create


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_read_only_token_reads_and_changes_nothing(client, org):
    _token, raw = token_create(user=org.users["sec"], name="bảng tin", scope="read", days=30)
    assert client.get(f"/api/members/{org.mem_member.pk}", **bearer(raw)).status_code == 200
    answer = client.patch(f"/api/members/{org.mem_member.pk}", {"phone": "0912345678"},
                          content_type="application/json", **bearer(raw))
    assert answer.status_code == 403
    _token, full = token_create(user=org.users["sec"], name="máy văn phòng", scope="all", days=90)
    assert client.patch(f"/api/members/{org.mem_member.pk}", {"phone": "0912345678"},
                        content_type="application/json", **bearer(full)).status_code == 200


def test_an_expired_token_is_refused(client, org):
    token, raw = token_create(user=org.users["sec"], name="cũ", scope="all", days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(f"/api/members/{org.mem_member.pk}", **bearer(raw)).status_code == 401


def test_the_tokens_page_makes_one_with_its_scope_and_expiry_and_shows_them(client, org):
    client.force_login(org.users["sec"])
    page = client.post("/account/tokens/", {"name": "điện thoại", "scope": "read", "days": "90"}).content.decode()
    token = ApiToken.objects.get(user=org.users["sec"])
    assert (token.scope, token.expires) == ("read", timezone.localdate() + datetime.timedelta(days=90))
    assert token.expires.strftime("%d/%m/%Y") in page and "Chỉ đọc" in page
    refused = client.post("/account/tokens/", {"name": "mãi mãi", "scope": "all", "days": "36500"})
    assert refused.status_code == 200 and ApiToken.objects.filter(user=org.users["sec"]).count() == 1
