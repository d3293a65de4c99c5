"""Erasing the personal data the rules do not keep, of a member who has left: the contact fields
and the login account go, after a confirmation, with an audit entry naming the fields and not
their values; the Party record stays. Refused, with the reason, while the member is still here."""

import datetime
import json

from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangvu.accounts.erasure import refusal
from dangvu.accounts.models import ApiToken
from dangvu.accounts.services import token_create
from dangvu.audit.models import AuditEntry
from dangvu.orgs import services
from dangvu.orgs.models import MemberSpan

TODAY = datetime.date.today()


def _with_contacts(org):
    member = services.member_update(actor=None, member=org.mem_member, phone="0912000111", email="cuong@example.vn")
    user = org.users["mem"]
    user.email, user.first_name = "cuong@example.vn", "Cường"
    user.save()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    token_create(user=user, name="máy nhà")
    return member


def _spans(member):
    return list(MemberSpan.objects.filter(member=member).order_by("id").values())


def test_an_officer_erases_the_contacts_and_account_of_a_member_who_left(client, org):
    member = _with_contacts(org)
    services.member_leave(actor=None, member=member, reason="moved_away", on_date=TODAY)
    history = _spans(member)
    client.force_login(org.users["off"])
    assert 'id="erase-personal-data"' in client.get(f"/members/{member.pk}/").content.decode()
    page = client.get(f"/account/members/{member.pk}/erase/")
    assert page.status_code == 200 and len(page.context["fields"]) == 3  # phone, e-mail, the account

    # no confirmation, nothing done
    client.post(f"/account/members/{member.pk}/erase/", {})
    member.refresh_from_db()
    assert member.phone == "0912000111"

    answer = client.post(f"/account/members/{member.pk}/erase/", {"confirm": "yes"})
    assert answer.status_code == 302 and answer.url == f"/members/{member.pk}/"
    member.refresh_from_db()
    user = member.user
    assert (member.phone, member.email, user.email, user.first_name) == ("", "", "", "")
    assert not user.is_active and not user.has_usable_password() and user.last_login is None
    assert user.username == "mem"  # the name the change log gives past changes by this account
    assert not TOTPDevice.objects.filter(user=user).exists() and not ApiToken.objects.filter(user=user).exists()
    from django.test import Client

    assert Client().post("/login/", {"username": "mem", "password": "x-mem"}).status_code == 200  # refused
    # the Party record is untouched
    assert _spans(member) == history
    assert (member.full_name, member.date_of_birth, member.status) == ("Lê Văn Cường", datetime.date(1990, 7, 8),
                                                                       "chuyen_di")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert (entry.actor, entry.model, entry.object_id) == (org.users["off"], "orgs.member", str(member.pk))
    assert entry.changes == {"erased": ["phone", "email", "account"]}
    assert "0912000111" not in json.dumps(entry.changes) and "cuong@" not in json.dumps(entry.changes)
    assert not entry.alters_figures


def test_the_session_of_the_erased_account_ends(client, org):
    member = _with_contacts(org)
    TOTPDevice.objects.filter(user=org.users["mem"]).delete()
    services.member_leave(actor=None, member=member, reason="removed", on_date=TODAY)
    client.force_login(org.users["mem"])
    assert client.get("/so-tay/").status_code == 200
    from dangvu.accounts.erasure import personal_data_erase

    personal_data_erase(actor=org.users["off"], member=member)
    assert client.get("/so-tay/").status_code == 302  # back to the login page


def test_it_is_refused_while_the_member_is_still_here_and_when_nothing_is_left(client, org):
    member = _with_contacts(org)
    client.force_login(org.users["off"])
    assert 'id="erase-personal-data"' not in client.get(f"/members/{member.pk}/").content.decode()
    page = client.get(f"/account/members/{member.pk}/erase/")
    assert page.status_code == 200 and page.context["refused"] == refusal(member)
    assert 'id="erase-form"' not in page.content.decode()
    client.post(f"/account/members/{member.pk}/erase/", {"confirm": "yes"})
    member.refresh_from_db()
    assert member.phone == "0912000111" and member.user.is_active
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).exists()

    services.member_leave(actor=None, member=member, reason="died", on_date=TODAY)
    client.post(f"/account/members/{member.pk}/erase/", {"confirm": "yes"})
    member.refresh_from_db()
    again = client.get(f"/account/members/{member.pk}/erase/")
    assert again.context["refused"] == gettext(
        "Nothing is left to erase: the record has no phone or e-mail and the account is already deactivated. "
        "The Party record itself is kept, as the rules require.")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).count() == 1


def test_only_an_officer_of_the_committee_above_the_cell_erases(client, org):
    member = _with_contacts(org)
    services.member_leave(actor=None, member=member, reason="moved_away", on_date=TODAY)
    TOTPDevice.objects.filter(user=org.users["mem"]).delete()  # (else the member is asked for a code first)
    # the cell's own secretary edits members of the cell but does not decide an erasure; the viewer
    # reads only; the member and another cell's secretary see nothing here
    for user, code in (("sec", 403), ("view", 403), ("mem", 404), ("out", 404)):
        client.force_login(org.users[user])
        assert client.get(f"/account/members/{member.pk}/erase/").status_code == code, user
        assert client.post(f"/account/members/{member.pk}/erase/", {"confirm": "yes"}).status_code == code, user
    member.refresh_from_db()
    assert member.phone == "0912000111"


def test_the_change_log_says_which_fields_were_erased(client, org):
    member = _with_contacts(org)
    services.member_leave(actor=None, member=member, reason="moved_away", on_date=TODAY)
    client.force_login(org.users["off"])
    client.post(f"/account/members/{member.pk}/erase/", {"confirm": "yes"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    fields = ", ".join([str(member._meta.get_field("phone").verbose_name),
                        str(member._meta.get_field("email").verbose_name), gettext("the login account (deactivated)")])
    assert entry.sentences == [gettext("Erased: %(fields)s.") % {"fields": fields}]
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert entry.sentences[0] in page
