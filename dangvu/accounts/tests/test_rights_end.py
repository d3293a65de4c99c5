"""Rights end with membership (issue 24): an expelled secretary kept every right through pages
and tokens. Roles and teams in the units a member leaves end the day before, audited; a
member who left loses their tokens; a role in a committee they stay under is kept."""

import datetime

from dangvu.accounts.models import ApiToken, Team
from dangvu.accounts.services import token_create
from dangvu.audit.models import AuditEntry
from dangvu.orgs import services
from dangvu.orgs.models import RoleKind, UnitRole

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_an_expelled_secretary_loses_every_right_and_token(client, org):
    _token, raw = token_create(user=org.users["sec"], name="điện thoại")
    client.force_login(org.users["sec"])
    assert client.get(f"/members/{org.mem_member.pk}/edit/").status_code == 200
    services.member_leave(actor=org.users["off"], member=org.sec_member, reason="expelled", on_date=TODAY - DAY)
    role = UnitRole.objects.get(member=org.sec_member, role=RoleKind.SECRETARY)
    assert role.end == TODAY - 2 * DAY
    assert client.get(f"/members/{org.mem_member.pk}/edit/").status_code in (403, 404)
    assert client.post(f"/members/{org.mem_member.pk}/event/", {"event": "died",
                                                                "date": TODAY.strftime("%d/%m/%Y")}).status_code in (403, 404)
    assert client.get(f"/api/units/{org.A.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert not ApiToken.objects.filter(user=org.users["sec"]).exists()
    assert AuditEntry.objects.filter(model="orgs.unitrole", object_id=str(role.pk), action="update").exists()


def test_a_transfer_ends_the_old_cells_rights_and_keeps_the_committees(client, org):
    """The secretary of A moves to B: A's role and team end; a role in commune G, which B is
    also under, stays; the account now reaches B only through what it holds there."""
    commune_role = services.role_assign(actor=None, unit=org.G, member=org.sec_member, role=RoleKind.COMMITTEE,
                                        start=datetime.date(2025, 1, 1))
    cell_team = Team.objects.create(name="Tổ văn phòng chi bộ", unit=org.A, permissions=["members:read"])
    cell_team.users.add(org.users["sec"])
    services.member_transfer(actor=org.users["off"], member=org.sec_member, to_unit=org.B, on_date=TODAY - DAY)
    secretary = UnitRole.objects.get(member=org.sec_member, role=RoleKind.SECRETARY, unit=org.A)
    assert secretary.end == TODAY - 2 * DAY
    commune_role.refresh_from_db()
    assert commune_role.end is None
    assert not cell_team.users.filter(pk=org.users["sec"].pk).exists()
    from dangvu.lib.keys import ROLE_KEYS
    from dangvu.orgs.scope import scope_for

    assert scope_for(org.users["sec"]).keys_at(org.A.path) == ROLE_KEYS[RoleKind.COMMITTEE]  # G's role only
    client.force_login(org.users["sec"])
    assert client.get(f"/units/{org.A.pk}/import/").status_code == 403  # the secretary's own keys went


def test_the_teams_and_tokens_a_departure_ends_are_in_the_change_log_after_the_roles(org):
    """orgs ends the roles, accounts (through orgs.services.rights_end) the teams and tokens,
    each audited in the departure's transaction, by whoever recorded it."""
    token, _raw = token_create(user=org.users["sec"], name="điện thoại")
    cell_team = Team.objects.create(name="Tổ văn phòng chi bộ", unit=org.A, permissions=["members:read"])
    cell_team.users.add(org.users["sec"])
    first = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    services.member_leave(actor=org.users["off"], member=org.sec_member, reason="died", on_date=TODAY - DAY)
    entries = list(AuditEntry.objects.filter(pk__gt=first).exclude(model="orgs.member").order_by("pk")
                   .values_list("model", "object_id", "action", "changes", "actor__username"))
    role = UnitRole.objects.get(member=org.sec_member, role=RoleKind.SECRETARY)
    assert entries == [
        ("orgs.unitrole", str(role.pk), "update", {"end": [None, (TODAY - 2 * DAY).isoformat()]}, "off"),
        ("accounts.team", str(cell_team.pk), "update", {"members": ["sec", None]}, "off"),
        ("accounts.apitoken", str(token.pk), "delete", {"name": ["điện thoại", None]}, "off"),
    ]
