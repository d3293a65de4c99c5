"""OTP_REQUIRED_FOR_WRITERS: when on, an account holding any key that changes records and having
no second factor reaches only the page that sets one up (and signing out); accounts that only
read, and API tokens, are not affected. Off (the default), nothing changes."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts.services import token_create
from dangvu.orgs.scope import scope_for


def code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_WRITERS = True


def test_off_writers_without_a_second_factor_go_everywhere(client, org):
    assert scope_for(org.users["sec"]).writes_anywhere()
    client.force_login(org.users["sec"])
    assert client.get(f"/units/{org.A.pk}/").status_code == 200
    assert client.get(f"/api/units/{org.A.pk}").status_code == 200


def test_on_a_writer_reaches_only_the_setup_page_until_they_set_one_up(client, org, required):
    client.force_login(org.users["sec"])  # the cell's secretary: her role writes
    held = client.get(f"/units/{org.A.pk}/")
    assert held.status_code == 302 and held.url == "/account/otp/setup/"
    assert client.get("/so-tay/").url == "/account/otp/setup/"
    assert client.post(f"/units/{org.A.pk}/members/new/", {}).url == "/account/otp/setup/"
    assert client.get(f"/api/units/{org.A.pk}").status_code == 401  # the session's API too
    page = client.get("/account/otp/setup/")
    assert page.status_code == 200 and 'id="otp-required"' in page.content.decode()
    assert client.post("/i18n/setlang/", {"language": "vi", "next": "/so-tay/"}).url == "/so-tay/"  # open

    device = TOTPDevice.objects.get(user=org.users["sec"], confirmed=False)
    client.post("/account/otp/setup/", {"code": code_of(device)})
    assert TOTPDevice.objects.filter(user=org.users["sec"], confirmed=True).count() == 1
    assert client.get(f"/units/{org.A.pk}/").status_code == 200  # the setup verified this session
    # once set up, a writer keeps it: turning it off is refused
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    client.post("/account/otp/setup/", {"code": code_of(device)})
    assert TOTPDevice.objects.filter(user=org.users["sec"], confirmed=True).count() == 1


def test_on_logging_out_stays_open(client, org, required):
    client.force_login(org.users["off"])
    answer = client.post("/logout/")
    assert answer.status_code == 302 and answer.url == "/login/"
    assert client.get(f"/units/{org.A.pk}/").url.startswith("/login/")  # logged out, not held for a code


def test_on_readers_and_members_are_not_affected(client, org, required):
    assert not scope_for(org.users["view"]).writes_anywhere()
    assert not scope_for(org.users["mem"]).writes_anywhere()
    client.force_login(org.users["view"])  # reads G's subtree only
    assert client.get(f"/units/{org.A.pk}/").status_code == 200
    client.force_login(org.users["mem"])  # a plain member
    assert client.get("/so-tay/").status_code == 200
    assert client.get(f"/members/{org.mem_member.pk}/").status_code == 200


def test_on_a_writer_with_a_second_factor_is_asked_for_the_code_as_before(client, org, required):
    TOTPDevice.objects.create(user=org.users["off"], name="app", confirmed=True)
    assert client.post("/login/", {"username": "off", "password": "x-off"}).status_code == 302
    held = client.get(f"/units/{org.G.pk}/")
    assert held.status_code == 302 and held.url.startswith("/account/otp/?next=")


def test_on_api_tokens_are_separate_credentials(client, org, required):
    _token, raw = token_create(user=org.users["sec"], name="máy văn phòng")
    assert client.get(f"/api/units/{org.A.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
