"""Merging, splitting and moving units over the API: through the services, every id the
client sends looked up in the caller's units (404 naming nothing outside them), dates
refused on their field."""

import datetime
import json

import pytest
from django.utils import timezone

from conftest import make_member
from dangvu.accounts.models import Team
from dangvu.lib.keys import FULL_KEYS
from dangvu.orgs import services
from dangvu.orgs.models import Member, OrgUnit, UnitKind, UnitSuccession

D = datetime.date
NOT_FOUND = {"detail": "Không tìm thấy."}
FUTURE = "Ngày này ở tương lai: hãy ghi khi việc đã diễn ra."


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def fields(answer):
    return [e["field"] for e in answer.json()["errors"]]


@pytest.fixture
def far(org):
    """A second commune under the province, outside the officer's units: G2 ─ cell X (one member)."""
    far = type("Far", (), {})()
    far.G2 = services.unit_create(actor=None, parent=org.P, name="Đảng bộ xã Xa Xôi", code="G2",
                                  kind=UnitKind.GRASSROOTS, valid_from=D(2020, 1, 1))
    far.X = services.unit_create(actor=None, parent=far.G2, name="Chi bộ thôn Khuất Núi", code="X",
                                 kind=UnitKind.CELL, valid_from=D(2020, 1, 1))
    far.member = make_member(far.X, "Đỗ Thị Giấu Tên", D(1985, 4, 4))
    return far


@pytest.fixture
def sub(org):
    """A sub-committee under G, inside the officer's units: S ─ cells S1, S2 (one member each)."""
    sub = type("Sub", (), {})()
    sub.S = services.unit_create(actor=None, parent=org.G, name="Đảng bộ bộ phận Đông", code="S",
                                 kind=UnitKind.SUB, valid_from=D(2020, 1, 1))
    sub.S1 = services.unit_create(actor=None, parent=sub.S, name="Chi bộ Đông 1", code="S1", kind=UnitKind.CELL,
                                  valid_from=D(2020, 1, 1))
    sub.S2 = services.unit_create(actor=None, parent=sub.S, name="Chi bộ Đông 2", code="S2", kind=UnitKind.CELL,
                                  valid_from=D(2020, 1, 1))
    make_member(sub.S1, "Vũ Văn Một", D(1980, 1, 1))
    make_member(sub.S2, "Vũ Văn Hai", D(1981, 1, 1))
    return sub


@pytest.fixture
def prov(org):
    """A user of the province's office, with every key over P."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="prov", password="x-prov")
    Team.objects.create(name="Văn phòng tỉnh", unit=org.P, permissions=sorted(FULL_KEYS)).users.add(user)
    return user


def a_members(org):
    return [org.sec_member.pk, org.mem_member.pk, org.other_member.pk]


def split_body(org, on_date="2026-09-01", first=None, second=None):
    members = a_members(org)
    return {"date": on_date, "parts": [
        {"name": "Chi bộ thôn Nà Ngoa 1", "code": "A1", "member_ids": first if first is not None else members[:1],
         "child_ids": [], "has_committee": False},
        {"name": "Chi bộ thôn Nà Ngoa 2", "code": "A2", "member_ids": second if second is not None else members[1:],
         "child_ids": [], "has_committee": True}]}


# --- merge ------------------------------------------------------------------

def test_an_officer_merges_two_cells(client, org):
    client.force_login(org.users["off"])
    answer = post(client, f"/api/units/{org.G.pk}/merge", {"unit_ids": [org.A.pk, org.B.pk],
                  "name": "Chi bộ thôn Nà Ngoa - Bản Mới", "code": "AB", "date": "2026-07-01"})
    merged = OrgUnit.objects.get(code="AB")
    assert answer.status_code == 201
    assert answer.json() == {"id": merged.pk}
    assert OrgUnit.objects.get_parent(merged) == org.G
    assert merged.name == "Chi bộ thôn Nà Ngoa - Bản Mới"
    assert merged.valid_from == D(2026, 7, 1)
    assert sorted(Member.objects.filter(unit=merged).values_list("pk", flat=True)) == sorted(
        a_members(org) + [org.out_member.pk])
    assert OrgUnit.objects.get(pk=org.A.pk).valid_to == D(2026, 6, 30)
    assert OrgUnit.objects.get(pk=org.B.pk).valid_to == D(2026, 6, 30)
    assert sorted(UnitSuccession.objects.filter(successor=merged).values_list("predecessor_id", flat=True)) == sorted(
        [org.A.pk, org.B.pk])


def test_a_merge_refuses_units_outside_the_callers_units(client, org, far):
    client.force_login(org.users["off"])
    answer = post(client, f"/api/units/{org.G.pk}/merge", {"unit_ids": [org.A.pk, far.X.pk],
                  "name": "Gộp", "code": "AX", "date": "2026-07-01"})
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert far.X.name not in answer.content.decode()
    assert OrgUnit.objects.filter(code="AX").exists() is False
    assert OrgUnit.objects.get(pk=org.A.pk).valid_to is None
    # the committee in the path outside the caller's units
    answer = post(client, f"/api/units/{far.G2.pk}/merge", {"unit_ids": [far.X.pk, org.A.pk],
                  "name": "Gộp", "code": "AX", "date": "2026-07-01"})
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert far.G2.name not in answer.content.decode()


def test_a_merge_takes_only_the_committees_own_open_units(client, org):
    # inside the caller's units but not directly under the committee: refused on its field
    client.force_login(org.users["off"])
    answer = post(client, f"/api/units/{org.G.pk}/merge", {"unit_ids": [org.A.pk, org.G.pk],
                  "name": "Gộp", "code": "AG", "date": "2026-07-01"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "unit_ids", "message": f"Không tìm thấy: {org.G.pk}."}]
    assert OrgUnit.objects.filter(code="AG").exists() is False


def test_a_merge_dated_before_founding_or_in_the_future_is_refused_on_the_date(client, org):
    client.force_login(org.users["off"])
    body = {"unit_ids": [org.A.pk, org.B.pk], "name": "Gộp", "code": "AB", "date": "2019-12-31"}
    answer = post(client, f"/api/units/{org.G.pk}/merge", body)
    assert answer.status_code == 422
    assert fields(answer) == ["date"]
    body["date"] = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    answer = post(client, f"/api/units/{org.G.pk}/merge", body)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "date", "message": FUTURE}]
    assert OrgUnit.objects.filter(code="AB").exists() is False


def test_only_writers_over_the_committee_merge(client, org):
    body = {"unit_ids": [org.A.pk, org.B.pk], "name": "Gộp", "code": "AB", "date": "2026-07-01"}
    client.force_login(org.users["view"])
    assert post(client, f"/api/units/{org.G.pk}/merge", body).status_code == 403
    client.force_login(org.users["sec"])  # writes in cell A only: the commune is not theirs
    answer = post(client, f"/api/units/{org.G.pk}/merge", body)
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert OrgUnit.objects.filter(code="AB").exists() is False


# --- split ------------------------------------------------------------------

def test_an_officer_splits_a_cell(client, org):
    client.force_login(org.users["off"])
    answer = post(client, f"/api/units/{org.A.pk}/split", split_body(org))
    first, second = OrgUnit.objects.get(code="A1"), OrgUnit.objects.get(code="A2")
    assert answer.status_code == 201
    assert answer.json() == {"ids": [first.pk, second.pk]}
    members = a_members(org)
    assert list(Member.objects.filter(unit=first).values_list("pk", flat=True)) == members[:1]
    assert sorted(Member.objects.filter(unit=second).values_list("pk", flat=True)) == sorted(members[1:])
    assert [first.has_committee, second.has_committee] == [False, True]
    assert OrgUnit.objects.get_parent(first) == org.G
    assert OrgUnit.objects.get(pk=org.A.pk).valid_to == D(2026, 8, 31)


def test_a_split_hands_on_the_sub_units(client, org, sub):
    client.force_login(org.users["off"])
    answer = post(client, f"/api/units/{sub.S.pk}/split", {"date": "2026-09-01", "parts": [
        {"name": "Đảng bộ bộ phận Đông 1", "code": "SA", "member_ids": [], "child_ids": [sub.S1.pk],
         "has_committee": True},
        {"name": "Đảng bộ bộ phận Đông 2", "code": "SB", "member_ids": [], "child_ids": [sub.S2.pk],
         "has_committee": True}]})
    first, second = OrgUnit.objects.get(code="SA"), OrgUnit.objects.get(code="SB")
    assert answer.status_code == 201
    assert answer.json() == {"ids": [first.pk, second.pk]}
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=sub.S1.pk)) == first
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=sub.S2.pk)) == second


def test_a_split_refuses_members_and_sub_units_outside_the_callers_units(client, org, far, sub):
    client.force_login(org.users["off"])
    members = a_members(org)
    answer = post(client, f"/api/units/{org.A.pk}/split", split_body(org, second=members[1:] + [far.member.pk]))
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert far.member.full_name not in answer.content.decode()
    answer = post(client, f"/api/units/{sub.S.pk}/split", {"date": "2026-09-01", "parts": [
        {"name": "Đông 1", "code": "SA", "member_ids": [], "child_ids": [sub.S1.pk], "has_committee": True},
        {"name": "Đông 2", "code": "SB", "member_ids": [], "child_ids": [sub.S2.pk, far.X.pk], "has_committee": True}]})
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert far.X.name not in answer.content.decode()
    # the unit in the path outside the caller's units
    answer = post(client, f"/api/units/{far.X.pk}/split", split_body(org, first=[far.member.pk], second=[]))
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert far.X.name not in answer.content.decode()
    assert OrgUnit.objects.filter(code__in=["A1", "A2", "SA", "SB"]).exists() is False
    assert OrgUnit.objects.filter(pk__in=[org.A.pk, sub.S.pk, far.X.pk], valid_to__isnull=True).count() == 3


def test_a_split_takes_only_the_units_own_members(client, org):
    # inside the caller's units but a member of another cell: refused on its field
    client.force_login(org.users["off"])
    members = a_members(org)
    answer = post(client, f"/api/units/{org.A.pk}/split", split_body(org, second=members[1:] + [org.out_member.pk]))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "member_ids", "message": f"Không tìm thấy: {org.out_member.pk}."}]
    assert Member.objects.get(pk=org.out_member.pk).unit_id == org.B.pk


def test_a_split_dated_before_founding_or_in_the_future_is_refused_on_the_date(client, org):
    client.force_login(org.users["off"])
    answer = post(client, f"/api/units/{org.A.pk}/split", split_body(org, on_date="2019-12-31"))
    assert answer.status_code == 422
    assert fields(answer) == ["date"]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    answer = post(client, f"/api/units/{org.A.pk}/split", split_body(org, on_date=tomorrow))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "date", "message": FUTURE}]
    assert OrgUnit.objects.filter(code__in=["A1", "A2"]).exists() is False


def test_only_writers_over_the_unit_and_its_committee_split(client, org):
    client.force_login(org.users["view"])
    assert post(client, f"/api/units/{org.A.pk}/split", split_body(org)).status_code == 403
    client.force_login(org.users["sec"])  # writes in cell A, but the new cells would be the commune's
    answer = post(client, f"/api/units/{org.A.pk}/split", split_body(org))
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert OrgUnit.objects.filter(code__in=["A1", "A2"]).exists() is False


# --- move -------------------------------------------------------------------

def test_a_cell_is_moved_under_another_commune(client, org, far, prov):
    client.force_login(prov)
    answer = post(client, f"/api/units/{org.A.pk}/move", {"parent_id": far.G2.pk, "date": "2026-07-01"})
    assert answer.status_code == 200
    assert answer.json() == {"id": org.A.pk}
    moved = OrgUnit.objects.get(pk=org.A.pk)
    assert OrgUnit.objects.get_parent(moved) == far.G2
    assert moved.valid_to is None
    assert sorted(Member.objects.filter(unit=moved).values_list("pk", flat=True)) == sorted(a_members(org))


def test_a_move_refuses_units_outside_the_callers_units(client, org, far):
    client.force_login(org.users["off"])
    answer = post(client, f"/api/units/{org.A.pk}/move", {"parent_id": far.G2.pk, "date": "2026-07-01"})
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert far.G2.name not in answer.content.decode()
    answer = post(client, f"/api/units/{far.X.pk}/move", {"parent_id": org.G.pk, "date": "2026-07-01"})
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert far.X.name not in answer.content.decode()
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=org.A.pk)) == org.G
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=far.X.pk)) == far.G2


def test_a_move_dated_before_founding_or_in_the_future_is_refused_on_the_date(client, org, far, prov):
    client.force_login(prov)
    answer = post(client, f"/api/units/{org.A.pk}/move", {"parent_id": far.G2.pk, "date": "2019-12-31"})
    assert answer.status_code == 422
    assert fields(answer) == ["date"]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    answer = post(client, f"/api/units/{org.A.pk}/move", {"parent_id": far.G2.pk, "date": tomorrow})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "date", "message": FUTURE}]
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=org.A.pk)) == org.G


def test_only_writers_move(client, org, sub):
    client.force_login(org.users["view"])
    answer = post(client, f"/api/units/{org.A.pk}/move", {"parent_id": sub.S.pk, "date": "2026-07-01"})
    assert answer.status_code == 403
    client.force_login(org.users["sec"])  # writes in cell A, but the commune losing it is not theirs
    answer = post(client, f"/api/units/{org.A.pk}/move", {"parent_id": sub.S.pk, "date": "2026-07-01"})
    assert answer.status_code == 404
    assert answer.json() == NOT_FOUND
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=org.A.pk)) == org.G
