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
