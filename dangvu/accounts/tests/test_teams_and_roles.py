"""Teams and roles on their own page, through services, audited, and never a way to
give rights one does not hold."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from dangvu.accounts import services
from dangvu.accounts.models import Team
from dangvu.audit.models import AuditEntry
from dangvu.lib.admin import ReadOnlyAdminMixin
from dangvu.lib.keys import ACCESS_MANAGE, READ_KEYS
from dangvu.orgs import services as org_services
from dangvu.orgs.models import UnitRole
from dangvu.orgs.scope import UserScope


def test_a_secretary_makes_a_team_for_their_cell_through_the_page(client, org):
    client.force_login(org.users["sec"])
    url = f"/account/units/{org.A.pk}/access/"
    found = client.get(url + "?q=cuong").content.decode()
    assert "Lê Văn Cường" in found
    response = client.post(url, {"add_team": "1", "name": "Tổ giúp việc", "permissions": ["members:read", "study:read"],
                                 "members": [org.mem_member.pk]})
    assert response.status_code == 302
    team = Team.objects.get(name="Tổ giúp việc")
    assert team.unit == org.A and team.permissions == ["members:read", "study:read"]
    assert list(team.users.all()) == [org.users["mem"]]
    assert UserScope(org.users["mem"]).can("members:read", org.A.path)
    assert AuditEntry.objects.filter(model="accounts.team", action="create", object_id=str(team.pk)).exists()
    # removed again, audited
    client.post(url, {"delete_team": team.pk})
    assert not Team.objects.filter(pk=team.pk).exists()
    assert AuditEntry.objects.filter(model="accounts.team", action="delete", object_id=str(team.pk)).exists()


def test_nobody_gives_rights_they_do_not_hold_and_misspelt_keys_are_refused(org):
    manager = Team.objects.create(name="Quản trị", unit=org.G, permissions=sorted(READ_KEYS | {ACCESS_MANAGE}))
    manager.users.add(org.users["view"])
    with pytest.raises(ValidationError) as exc:
        services.team_create(actor=org.users["view"], unit=org.A, name="Leo thang", permissions=["members:write"])
    assert "members:write" not in str(exc.value)  # named by its label, not its key
    with pytest.raises(ValidationError) as exc:
        services.team_create(actor=org.users["view"], unit=org.A, name="Gõ sai", permissions=["members:raed"])
    assert "members:raed" in str(exc.value)
    with pytest.raises(ValidationError):  # a role grants keys too: a secretary's are not theirs to give
        org_services.role_assign(actor=org.users["view"], unit=org.A, member=org.mem_member, role="bi_thu",
                                 start=datetime.date(2026, 1, 1))
    assert services.team_create(actor=org.users["view"], unit=org.A, name="Chỉ đọc", permissions=["study:read"])
    assert not UnitRole.objects.filter(member=org.mem_member).exists()


def test_roles_are_recorded_and_ended_on_the_page(client, org):
    client.force_login(org.users["off"])
    url = f"/account/units/{org.A.pk}/access/"
    client.post(url, {"add_role": "1", "member": org.other_member.pk, "role": "tuyen_giao", "start": "2026-01-05"})
    unit_role = UnitRole.objects.get(member=org.other_member)
    assert unit_role.role == "tuyen_giao" and unit_role.start == datetime.date(2026, 1, 5)
    client.post(url, {"end_role": unit_role.pk, "end": "2026-06-30"})
    unit_role.refresh_from_db()
    assert unit_role.end == datetime.date(2026, 6, 30)
    assert AuditEntry.objects.filter(model="orgs.unitrole", object_id=str(unit_role.pk)).count() == 2
    # a sibling cell's secretary cannot even see the page; a plain member neither
    for persona in ("out", "mem"):
        client.force_login(org.users[persona])
        assert client.get(url).status_code == 404


def test_the_admin_only_reads():
    writable = [model.__name__ for model, model_admin in admin.site._registry.items()
                if model._meta.app_label in ("orgs", "accounts", "documents", "study", "audit")
                and not isinstance(model_admin, ReadOnlyAdminMixin)]
    assert not writable
