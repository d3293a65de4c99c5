import datetime

import pytest
from django.core.exceptions import ValidationError

from conftest import make_member
from dangvu.audit.models import AuditEntry
from dangvu.orgs import services
from dangvu.orgs.models import Member, MemberSpan, OrgUnit, UnitKind, UnitRole, UnitSuccession

JULY = datetime.date(2025, 7, 1)


def _commune(org, name, code):
    unit = services.unit_create(actor=None, parent=org.P, name=name, code=code, kind=UnitKind.GRASSROOTS,
                                valid_from=datetime.date(2015, 1, 1))
    cell = services.unit_create(actor=None, parent=unit, name=f"Chi bộ {name}", code=code + "-C",
                                kind=UnitKind.CELL, valid_from=datetime.date(2015, 1, 1))
    return unit, cell


def test_merge_closes_old_units_moves_content_and_links_history(org):
    u1, c1 = _commune(org, "xã Đạo Đức", "DD")
    u2, c2 = _commune(org, "xã Phú Linh", "PL")
    direct = make_member(u1, "Vũ Văn Hải", datetime.date(1970, 1, 1))
    make_member(c2, "Ngô Thị Lan", datetime.date(1980, 1, 1))
    officer = org.users["off"]
    new = services.unit_merge(actor=officer, units=[u1, u2], name="Đảng bộ xã Đạo Đức mới", code="DDM", on_date=JULY)

    u1.refresh_from_db()
    u2.refresh_from_db()
    assert u1.valid_to == u2.valid_to == datetime.date(2025, 6, 30)
    assert new.valid_from == JULY
    assert {link.predecessor_id for link in UnitSuccession.objects.filter(successor=new)} == {u1.pk, u2.pk}
    # cells moved under the new committee, with their members
    assert {c.code for c in OrgUnit.objects.get_children(new)} == {"DD-C", "PL-C"}
    direct.refresh_from_db()
    assert direct.unit_id == new.pk
    assert MemberSpan.objects.filter(member=direct, unit=u1, end=JULY, end_change="reorganised", to_unit=new).exists()
    assert MemberSpan.objects.filter(member=direct, unit=new, start=JULY, start_change="reorganised", from_unit=u1,
                                     end=None).exists()
    entry = AuditEntry.objects.get(action="merge", object_id=str(u1.pk))
    assert entry.actor == officer and entry.changes["members_moved"] == [None, 1]


def test_merge_refuses_closed_units(org):
    u1, _ = _commune(org, "xã A", "XA")
    u2, _ = _commune(org, "xã B", "XB")
    services.unit_merge(actor=None, units=[u1, u2], name="xã AB", code="XAB", on_date=JULY)
    with pytest.raises(ValidationError, match="đã giải thể"):
        services.unit_merge(actor=None, units=[u1, u2], name="xã AB2", code="XAB2", on_date=datetime.date(2026, 1, 1))


def test_split_requires_every_member_placed_and_writes_nothing_otherwise(org):
    members = list(Member.objects.filter(unit=org.A).order_by("id"))
    parts = [services.SplitPart(name="Chi bộ 1", code="A1", member_ids=[members[0].pk]),
             services.SplitPart(name="Chi bộ 2", code="A2", member_ids=[members[1].pk])]
    units_before = OrgUnit.objects.count()
    with pytest.raises(ValidationError, match="1 chưa được chia"):
        services.unit_split(actor=None, unit=org.A, parts=parts, on_date=JULY)
    assert OrgUnit.objects.count() == units_before

    parts[1].member_ids.append(members[2].pk)
    new1, new2 = services.unit_split(actor=None, unit=org.A, parts=parts, on_date=JULY)
    assert Member.objects.get(pk=members[0].pk).unit == new1
    assert set(Member.objects.filter(unit=new2).values_list("pk", flat=True)) == {members[1].pk, members[2].pk}
    org.A.refresh_from_db()
    assert org.A.valid_to == datetime.date(2025, 6, 30)
    # the secretary's role in the closed cell ended with it
    assert UnitRole.objects.get(unit=org.A).end == datetime.date(2025, 6, 30)
    assert [link.kind for link in UnitSuccession.objects.filter(predecessor=org.A)] == ["split", "split"]


def test_term_starts_the_day_after_the_congress_and_closes_the_previous_one(org):
    old = services.term_create(actor=None, unit=org.G, name="2020-2025", congress_closed_on=datetime.date(2020, 6, 10))
    new = services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=datetime.date(2025, 9, 30))
    old.refresh_from_db()
    assert new.start == datetime.date(2025, 10, 1)
    assert old.start == datetime.date(2020, 6, 11) and old.end == datetime.date(2025, 9, 30)


def test_member_update_keeps_before_and_after_in_the_audit_trail(org):
    user = org.users["sec"]
    services.member_update(actor=user, member=org.other_member, phone="0987654321", full_name="Phạm Thị Dung ")
    entry = AuditEntry.objects.filter(action="update", object_id=str(org.other_member.pk)).get()
    assert entry.actor == user
    assert entry.changes == {"phone": ["", "0987654321"]}  # the trailing space is normalised away


def test_member_rules_reject_impossible_dates(org):
    with pytest.raises(ValidationError) as exc:
        make_member(org.A, "Bùi Văn Khoa", datetime.date(1990, 1, 1), admission_date=datetime.date(2010, 1, 1),
                    official_date=datetime.date(2009, 1, 1))
    assert "official_date" in exc.value.error_dict


def test_transfer_records_the_move_for_both_units(org):
    services.member_transfer(actor=None, member=org.other_member, to_unit=org.B, on_date=datetime.date(2026, 1, 5),
                             reason="Chuyển sinh hoạt")
    org.other_member.refresh_from_db()
    assert org.other_member.unit == org.B
    assert {e.unit_path for e in AuditEntry.objects.filter(action="move")} == {org.A.path, org.B.path}
    with pytest.raises(ValidationError):
        services.member_transfer(actor=None, member=org.other_member, to_unit=org.B, on_date=datetime.date(2026, 2, 1))
