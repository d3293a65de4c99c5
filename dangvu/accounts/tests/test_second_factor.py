"""The optional second factor: turned on with a code, then asked after the password."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.audit.models import AuditEntry


def code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_an_officer_turns_it_on_and_is_asked_for_a_code_after_the_password(client, org):
    client.force_login(org.users["off"])
    page = client.get("/account/otp/setup/").content.decode()
    assert 'id="otp-key"' in page
    device = TOTPDevice.objects.get(user=org.users["off"], confirmed=False)
    assert client.post("/account/otp/setup/", {"code": "000000" if code_of(device) != "000000" else "111111"}
                       ).status_code == 200  # a wrong code changes nothing
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    client.post("/account/otp/setup/", {"code": code_of(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(model="auth.user", object_id=str(org.users["off"].pk)).exists()

    client.logout()
    assert client.post("/login/", {"username": "off", "password": "x-off"}).status_code == 302
    unit_url = f"/units/{org.G.pk}/"
    held = client.get(unit_url)
    assert held.status_code == 302 and held.url.startswith("/account/otp/?next=")
    assert client.get("/api/units").status_code == 401  # the session's API waits for the code too
    device.refresh_from_db()
    device.last_t = -1  # the setup used this time step's code: wait for the next one, as a person would
    device.save()
    verified = client.post("/account/otp/", {"code": code_of(device), "next": unit_url})
    assert verified.status_code == 302 and verified.url == unit_url
    assert client.get(unit_url).status_code == 200


def test_without_a_second_factor_nothing_changes_and_the_next_address_stays_on_the_site(client, org):
    client.force_login(org.users["sec"])
    assert client.get(f"/units/{org.A.pk}/").status_code == 200
    page = client.get("/account/otp/?next=https://evil.example/").content.decode()
    assert '<input type="hidden" name="next" value="/">' in page  # the form sends you home, not away


def test_any_authorization_header_does_not_skip_the_second_factor_on_the_api(client, org):
    """A password-only session with the second factor on: sending a made-up bearer token beside
    it was enough to read and write through the API (issue 24). A request is authenticated by
    one method: the header's token, which is not valid, so 401; a real token still works."""
    from dangvu.accounts.services import token_create

    TOTPDevice.objects.create(user=org.users["off"], name="app", confirmed=True)
    assert client.post("/login/", {"username": "off", "password": "x-off"}).status_code == 302
    for header in ("Bearer x", "Bearer ", "Basic b2ZmOngtb2Zm", "x"):
        assert client.get(f"/api/units/{org.G.pk}", HTTP_AUTHORIZATION=header).status_code == 401, header
        answer = client.post(f"/api/units/{org.G.pk}/reports", {"from": "2026-01-01", "to": "2026-12-31"},
                             content_type="application/json", HTTP_AUTHORIZATION=header)
        assert answer.status_code == 401, header
    assert client.get(f"/api/units/{org.G.pk}").status_code == 401  # the session alone waits for the code
    _token, raw = token_create(user=org.users["off"], name="máy văn phòng")
    assert client.get(f"/api/units/{org.G.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
