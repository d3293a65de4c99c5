"""Thematic topics a committee sets for its cells at once: the cells asked follow the dated tree;
a cell with its own thematic meeting of the period is told, not given a second; planning again
changes nothing twice; a new topic reaches the meetings not yet held, in the log; a cancelled
topic asks no more. The API and the pages on a phone, ids outside the caller's reach 404."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangvu.audit.models import AuditEntry
from dangvu.documents import services as doc_services
from dangvu.meetings import services
from dangvu.meetings.models import Meeting, ThematicAssignment, ThematicPlan
from dangvu.meetings.thematic import (
    HELD,
    MISSING,
    PLANNED,
    cell_items,
    counts,
    progress,
    thematic_plan,
    thematic_plan_cancel,
    thematic_plan_edit,
)
from dangvu.orgs import services as org_services
from dangvu.orgs.models import UnitKind

D, T = datetime.date, datetime.time
TOPIC = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về nêu gương"
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari/604.1"}


def plan(org, **extra):
    values = {"actor": None, "unit": org.G, "year": 2026, "quarter": 3, "topic": TOPIC} | extra
    return thematic_plan(**values)


def thematic(unit, day, topic=TOPIC):
    return services.meeting_schedule(actor=None, unit=unit, kind="thematic", date=day, start=T(19, 30),
                                     end=T(21, 0), place="Nhà văn hóa", topic=topic)


def statuses(p):
    return {r.assignment.unit.code: r.status for r in progress(p)}


def document(unit, summary="Kế hoạch học tập chuyên đề"):
    return doc_services.document_issue(actor=None, unit=unit, doc_type="KH", issued_on=D(2026, 6, 1),
                                       summary=summary, text="Nội dung")


@pytest.fixture
def registers(org):
    """G and a sibling commune with their registers (a term and a symbol each)."""
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=D(2025, 8, 20))
    org.G2 = org_services.unit_create(actor=None, parent=org.P, name="Đảng bộ xã Tân Lập", code="G2",
                                      kind=UnitKind.GRASSROOTS, valid_from=D(2020, 1, 1), symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G2, name="2025-2030", congress_closed_on=D(2025, 8, 20))
    org.X = org_services.unit_create(actor=None, parent=org.G2, name="Chi bộ thôn Khuôn", code="X",
                                     kind=UnitKind.CELL, valid_from=D(2020, 1, 1))
    return org


def test_the_cells_asked_are_those_under_the_committee_in_that_quarter_as_the_tree_stood(org):
    later = org_services.unit_create(actor=None, parent=org.G, name="Chi bộ thôn Mới", code="C", kind=UnitKind.CELL,
                                     valid_from=D(2026, 10, 1))
    closed = org_services.unit_create(actor=None, parent=org.G, name="Chi bộ thôn Cũ", code="E", kind=UnitKind.CELL,
                                      valid_from=D(2020, 1, 1))
    org_services.unit_update(actor=None, unit=closed, valid_to=D(2026, 6, 19))
    other = org_services.unit_create(actor=None, parent=org.P, name="Đảng bộ xã Tân Lập", code="G2",
                                     kind=UnitKind.GRASSROOTS, valid_from=D(2020, 1, 1))
    org_services.unit_move(actor=None, unit=org.B, parent=other, on_date=D(2026, 8, 15))
    third, created = plan(org)
    assert created and sorted(third.assignments.values_list("unit__code", flat=True)) == ["A", "B"]
    fourth, _created = plan(org, quarter=4)
    assert sorted(fourth.assignments.values_list("unit__code", flat=True)) == ["A", "C"]  # B moved away
    moved_to, _created = plan(org, unit=other)
    assert list(moved_to.assignments.values_list("unit__code", flat=True)) == ["B"]  # from 15/08
    august, _created = plan(org, quarter=None, month=8, topic="Chuyên đề tháng Tám")
    assert (august.quarter, august.month, august.start, august.end) == (3, 8, D(2026, 8, 1), D(2026, 8, 31))
    assert later.pk not in set(august.assignments.values_list("unit_id", flat=True))


def test_a_cell_with_its_own_thematic_meeting_is_told_and_the_others_plan_theirs(org):
    own = thematic(org.B, D(2026, 7, 20), topic="Chuyên đề về chuyển đổi số")
    p, _created = plan(org, window_from=D(2026, 9, 1), window_to=D(2026, 9, 25))
    b = p.assignments.get(unit=org.B)
    assert (b.meeting_id, b.follows) == (own.pk, False)
    assert Meeting.objects.filter(unit=org.B, kind="thematic").count() == 1  # not given a second
    assert statuses(p) == {"A": MISSING, "B": PLANNED}
    [item] = cell_items(org.A, 2026)
    assert (item.status, item.assignment.plan.topic) == (MISSING, TOPIC)
    taken = thematic(org.A, D(2026, 9, 12))
    a = p.assignments.get(unit=org.A)
    assert (a.meeting_id, a.follows) == (taken.pk, True)
    services.attendance_record(actor=None, meeting=taken, marks={org.sec_member.pk: "present"})
    assert statuses(p) == {"A": HELD, "B": PLANNED}
    assert counts(progress(p)) == {HELD: 1, PLANNED: 1, MISSING: 0}
    services.meeting_cancel(actor=None, meeting=own, reason="Mưa bão")
    assert statuses(p)["B"] == MISSING  # a cancelled meeting is none


def test_planning_again_is_idempotent_and_a_new_topic_reaches_the_meetings_not_yet_held(org):
    p, created = plan(org)
    entries = AuditEntry.objects.count()
    again, created_again = plan(org)
    assert (again.pk, created, created_again) == (p.pk, True, False)
    assert AuditEntry.objects.count() == entries and p.assignments.count() == 2
    assert ThematicPlan.objects.count() == 1 and ThematicAssignment.objects.count() == 2
    held = thematic(org.A, D(2026, 8, 10))
    services.attendance_record(actor=None, meeting=held, marks={org.sec_member.pk: "present"})
    coming = thematic(org.B, D(2026, 9, 20))
    thematic_plan_edit(actor=None, plan=p, topic="Nêu gương của cán bộ, đảng viên ở khu dân cư",
                       note="Mỗi đảng viên nêu một việc làm cụ thể.")
    held.refresh_from_db()
    coming.refresh_from_db()
    assert held.topic == TOPIC  # held: kept as it was
    assert coming.topic == "Nêu gương của cán bộ, đảng viên ở khu dân cư"
    logged = AuditEntry.objects.filter(model="meetings.meeting", object_id=str(coming.pk)).latest("pk")
    assert logged.changes["topic"] == [TOPIC, coming.topic] and logged.changes["plan"] == [None, p.pk]
    changed = AuditEntry.objects.filter(model="meetings.thematicplan", object_id=str(p.pk)).latest("pk")
    assert set(changed.changes) == {"topic", "note"}
    assert statuses(p) == {"A": HELD, "B": PLANNED}


def test_chosen_cells_only_and_the_edit_keeps_them(org):
    p, _created = plan(org, cells=[org.A])
    assert list(p.assignments.values_list("unit__code", flat=True)) == ["A"]
    thematic_plan_edit(actor=None, plan=p, topic="Chuyên đề khác")
    assert list(p.assignments.values_list("unit__code", flat=True)) == ["A"]
    plan(org, topic="Chuyên đề khác")  # planned again for every cell
    assert sorted(p.assignments.values_list("unit__code", flat=True)) == ["A", "B"]


def test_refusals_name_their_field(org):
    cases = [({"unit": org.A}, "unit"), ({"topic": "  "}, "topic"), ({"quarter": 5}, "quarter"),
             ({"month": 5}, "month"), ({"window_from": D(2026, 10, 2)}, "from"),
             ({"window_from": D(2026, 9, 10), "window_to": D(2026, 9, 1)}, "to"), ({"year": 1800}, "year")]
    for extra, field in cases:
        with pytest.raises(ValidationError) as exc:
            plan(org, **extra)
        assert field in exc.value.message_dict, (extra, exc.value.message_dict)
    other = org_services.unit_create(actor=None, parent=org.P, name="Đảng bộ xã Tân Lập", code="G2",
                                     kind=UnitKind.GRASSROOTS, valid_from=D(2020, 1, 1))
    with pytest.raises(ValidationError) as exc:
        plan(org, unit=other)  # no cell under it
    assert "unit" in exc.value.message_dict
    assert ThematicPlan.objects.count() == 0


def test_a_cancelled_topic_asks_no_more_and_the_period_can_be_planned_again(org):
    p, _created = plan(org)
    coming = thematic(org.A, D(2026, 9, 20))
    with pytest.raises(ValidationError):
        thematic_plan_cancel(actor=None, plan=p, reason=" ")
    thematic_plan_cancel(actor=None, plan=p, reason="Trùng chuyên đề của Tỉnh ủy")
    assert cell_items(org.A, 2026) == [] and Meeting.objects.get(pk=coming.pk).status == "scheduled"
    with pytest.raises(ValidationError):
        thematic_plan_cancel(actor=None, plan=p, reason="Lần nữa")
    with pytest.raises(ValidationError):
        thematic_plan_edit(actor=None, plan=p, topic="Sửa")
    anew, created = plan(org, topic="Chuyên đề mới")
    assert created and anew.pk != p.pk
    assert anew.assignments.get(unit=org.A).meeting_id == coming.pk  # told: its meeting has another topic


# --- the API -------------------------------------------------------------------------------

def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_plans_once_reads_progress_refuses_ids_out_of_reach_and_cancels(client, registers):
    org = registers
    ours, theirs = document(org.G), document(org.G2, "Kế hoạch của xã khác")
    client.force_login(org.users["off"])
    body = {"year": 2026, "quarter": 3, "topic": TOPIC, "document_ids": [ours.pk], "note": "Liên hệ thực tiễn",
            "from": "2026-09-01", "to": "2026-09-25"}
    created = post(client, f"/api/units/{org.G.pk}/thematic-plans", body)
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert created.json() == {"id": plan_id, "meetings": 2, "created": True}
    again = post(client, f"/api/units/{org.G.pk}/thematic-plans", body)
    assert (again.status_code, again.json()) == (200, {"id": plan_id, "meetings": 2, "created": False})
    for probe in ({"document_ids": [theirs.pk]}, {"cell_ids": [org.X.pk]}, {"cell_ids": [999999]}):
        refused = post(client, f"/api/units/{org.G.pk}/thematic-plans", body | probe)
        assert refused.status_code == 404 and refused.json() == {"detail": "Không tìm thấy."}, probe
    late = post(client, f"/api/units/{org.G.pk}/thematic-plans", body | {"quarter": 4, "from": "2026-09-01"})
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "from"
    wrong = post(client, f"/api/units/{org.G.pk}/thematic-plans", body | {"month": 11})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "month"
    thematic(org.A, D(2026, 9, 12))
    shown = client.get(f"/api/thematic-plans/{plan_id}").json()
    assert (shown["topic"], shown["document_ids"], shown["from"], shown["counts"]) == (
        TOPIC, [ours.pk], "2026-09-01", {"held": 0, "planned": 1, "missing": 1})
    assert [(c["unit"], c["status"], c["follows"]) for c in shown["cells"]] == [
        (org.A.pk, "planned", True), (org.B.pk, "missing", False)]
    listed = client.get(f"/api/units/{org.G.pk}/thematic-plans?year=2026").json()
    assert [p["id"] for p in listed["items"]] == [plan_id]
    client.force_login(org.users["sec"])  # a cell's secretary plans for no one
    assert post(client, f"/api/units/{org.G.pk}/thematic-plans", body).status_code == 404
    assert client.get(f"/api/thematic-plans/{plan_id}").status_code == 404
    client.force_login(org.users["off"])
    cancelled = post(client, f"/api/thematic-plans/{plan_id}/cancel", {"reason": "Trùng chuyên đề"})
    assert cancelled.json() == {"id": plan_id, "status": "cancelled"}


# --- the pages -----------------------------------------------------------------------------

def this_quarter():
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def test_the_committee_sets_a_topic_on_a_phone_and_sees_each_cell(client, registers):
    org = registers
    doc = document(org.G)
    year, quarter = this_quarter()
    client.force_login(org.users["off"])
    page = client.get(f"/units/{org.G.pk}/thematic-plans/", **PHONE).content.decode()
    assert 'id="plan-form"' in page and "Giao chuyên đề" in page and org.A.name in page  # the cells offered
    refused = client.post(f"/units/{org.G.pk}/thematic-plans/", {
        "year": year, "quarter": "1" if quarter != 1 else "2", "month": str(3 * quarter), "topic": TOPIC}, **PHONE)
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["month"]
    assert "không thuộc quý" in refused.context["form"].errors["month"][0]
    outside = client.post(f"/units/{org.G.pk}/thematic-plans/", {
        "year": year, "quarter": str(quarter), "topic": TOPIC, "cells": [org.X.pk]}, **PHONE)
    assert list(outside.context["form"].errors) == ["cells"]  # another commune's cell is no choice
    done = client.post(f"/units/{org.G.pk}/thematic-plans/", {
        "year": year, "quarter": str(quarter), "month": "", "topic": TOPIC, "documents": [doc.pk],
        "note": "Liên hệ nhiệm vụ của chi bộ"}, **PHONE)
    assert done.status_code == 302
    p = ThematicPlan.objects.get()
    assert done["Location"] == f"/thematic-plans/{p.pk}/"
    shown = client.get(done["Location"], **PHONE).content.decode()
    assert 'id="thematic-cells"' in shown and shown.count('data-status="missing"') == 2
    edited = client.post(done["Location"], {"form": "edit", "topic": "Chuyên đề đã sửa", "documents": [doc.pk]})
    assert edited.status_code == 302 and ThematicPlan.objects.get().topic == "Chuyên đề đã sửa"
    no_reason = client.post(done["Location"], {"form": "cancel", "reason": ""})
    assert no_reason.status_code == 200 and "Ghi lý do hủy chuyên đề." in no_reason.content.decode()
    client.force_login(org.users["view"])
    assert client.post(done["Location"], {"form": "cancel", "reason": "x"}).status_code == 403
    client.force_login(org.users["sec"])
    assert client.get(done["Location"]).status_code == 404


def test_the_cells_secretary_completes_the_meeting_from_the_topic(client, registers):
    org = registers
    doc = document(org.G)
    year, quarter = this_quarter()
    p, _created = thematic_plan(actor=None, unit=org.G, year=year, quarter=quarter, topic=TOPIC, documents=[doc],
                                note="Mỗi đảng viên nêu một việc làm cụ thể.")
    item = p.assignments.get(unit=org.A)
    client.force_login(org.users["sec"])
    page = client.get(f"/units/{org.A.pk}/meetings/", **PHONE).content.decode()
    assert 'id="thematic-items"' in page and TOPIC in page and f"?thematic={item.pk}" in page
    filled = client.get(f"/units/{org.A.pk}/meetings/?thematic={item.pk}", **PHONE)
    form = filled.context["form"]
    assert (form.initial["kind"], form.initial["topic"], form.initial["documents"]) == ("thematic", TOPIC, [doc.pk])
    assert 'id="schedule" open' in filled.content.decode()
    other = p.assignments.get(unit=org.B)
    assert client.get(f"/units/{org.A.pk}/meetings/?thematic={other.pk}").status_code == 404
    day = p.end  # the quarter's last day: today or later
    done = client.post(f"/units/{org.A.pk}/meetings/", {
        "kind": "thematic", "date": day.strftime("%d/%m/%Y"), "start": "19:30", "end": "21:00",
        "place": "Nhà văn hóa thôn", "topic": TOPIC, "documents": [doc.pk]}, **PHONE)
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.follows and item.meeting.documents.get() == doc
    assert statuses(p) == {"A": PLANNED, "B": MISSING}
    client.force_login(org.users["off"])
    committee = client.get(f"/units/{org.G.pk}/meetings/").content.decode()
    assert 'id="thematic-plans-link"' in committee


def test_a_topic_set_for_next_years_first_quarter_is_on_the_cells_calendar_and_the_committees_list(
        client, registers):
    org = registers
    year = timezone.localdate().year + 1  # in December the committee plans January ahead
    p, _created = thematic_plan(actor=None, unit=org.G, year=year, quarter=1, month=2, topic=TOPIC)
    item = p.assignments.get(unit=org.A)
    client.force_login(org.users["sec"])
    page = client.get(f"/units/{org.A.pk}/meetings/", **PHONE).content.decode()
    assert TOPIC in page and f"?thematic={item.pk}#schedule" in page and f"Tháng 2/{year}" in page
    client.force_login(org.users["off"])
    listed = client.get(f"/units/{org.G.pk}/thematic-plans/", **PHONE).content.decode()
    assert TOPIC not in listed and f'<option value="{year}">{year}</option>' in listed  # this year's, with a way on
    ahead = client.get(f"/units/{org.G.pk}/thematic-plans/", {"year": year}, **PHONE).content.decode()
    assert TOPIC in ahead and f'<option value="{year}" selected>' in ahead
    shown = client.get(f"/thematic-plans/{p.pk}/").content.decode()
    assert f'href="/units/{org.G.pk}/thematic-plans/?year={year}"' in shown  # back to the list of its year


def test_the_demo_commune_has_this_quarters_topic_with_its_cells_partly_done(db):
    from dangvu.meetings.demo import THEMATIC_TOPIC, build_meetings_demo
    from dangvu.orgs.demo import build_demo

    build_demo(members=300, seed=5, progress=False)
    today = timezone.localdate()
    mid_quarter = D(today.year, 3 * ((today.month - 1) // 3) + 2, 15)  # days behind and ahead in the quarter
    build_meetings_demo(seed=5, today=mid_quarter)
    p = ThematicPlan.objects.get()
    assert (p.topic, p.year, p.quarter, p.unit.kind) == (THEMATIC_TOPIC, today.year, (today.month - 1) // 3 + 1,
                                                         UnitKind.GRASSROOTS)
    found = counts(progress(p))
    assert found[HELD] >= 1 and found[PLANNED] >= 1 and found[MISSING] >= 1, found
    assert sum(found.values()) == p.assignments.count() >= 3


def test_a_cells_meeting_held_after_it_moved_away_is_not_the_old_committees_to_see(org):
    other = org_services.unit_create(actor=None, parent=org.P, name="Đảng bộ xã Tân Lập", code="G2",
                                     kind=UnitKind.GRASSROOTS, valid_from=D(2020, 1, 1))
    third, _created = plan(org)  # B asked: it stood under G in the third quarter until 15/08
    org_services.unit_move(actor=None, unit=org.B, parent=other, on_date=D(2026, 8, 15))
    thematic(org.B, D(2026, 9, 10), topic="Chuyên đề của xã Tân Lập")  # held under its new committee
    thematic(org.A, D(2026, 9, 12))
    rows = {r.assignment.unit.code: r for r in progress(third)}
    assert {code: r.status for code, r in rows.items()} == {"A": PLANNED, "B": MISSING}
    assert rows["B"].meeting is None
    assert counts(progress(third)) == {HELD: 0, PLANNED: 1, MISSING: 1}


def test_a_thematic_meeting_moved_into_the_next_quarter_answers_that_quarters_topic_only(org):
    fourth, _created = plan(org, quarter=4)
    first, _created = plan(org, year=2027, quarter=1, topic="Nghị quyết Đại hội XIV")
    meeting = thematic(org.A, D(2026, 12, 20))
    assert statuses(fourth)["A"] == PLANNED
    services.meeting_reschedule(actor=None, meeting=meeting, date=D(2027, 1, 10), start=T(19, 30), end=T(21, 0),
                                reason="Trùng lịch họp thôn")
    assert statuses(fourth)["A"] == MISSING and statuses(first)["A"] == PLANNED
    assert ThematicAssignment.objects.get(plan=fourth, unit=org.A).meeting_id is None
    assert ThematicAssignment.objects.get(plan=first, unit=org.A).meeting_id == meeting.pk
    thematic_plan_edit(actor=None, plan=fourth, topic="Chủ đề quý IV đã sửa")
    meeting.refresh_from_db()
    assert meeting.topic == TOPIC  # the fourth quarter's new topic does not reach a January meeting
