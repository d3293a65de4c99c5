"""Inspections and supervision: who may record what about whom, the measures against rows
counted directly (cell, commune, province; this year and a past one), the 2/1 target on
them, and the API contract."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from dangvu.inspections import services
from dangvu.inspections.models import Conductor, Inspection, Kind, Outcome, PlanItem
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.orgs import services as org_services
from dangvu.orgs.models import UnitKind
from dangvu.targets import services as targets

D = datetime.date
YEAR = Period(D(2026, 1, 1), D(2026, 12, 31))
LAST_YEAR = Period(D(2025, 1, 1), D(2025, 12, 31))


def code_of(result) -> str:
    """The unit code of an attainment row (attainment carries ids and paths, not names)."""
    from dangvu.orgs.models import OrgUnit

    return OrgUnit.objects.get(pk=result.unit.pk).code


def _inspect(unit, day, *, member=None, organisation=None, kind=Kind.INSPECTION, **extra):
    return services.inspection_record(actor=None, unit=unit, kind=kind, member=member, organisation=organisation,
                                      start=day, end=day + datetime.timedelta(days=5),
                                      content="Việc thực hiện nhiệm vụ đảng viên", **extra)


@pytest.fixture
def year(org):
    """A (with a cell committee) inspects twice this year and once last year; B (without) once this
    year; G inspects cell B and supervises a member of A; C is new in June and inspects nothing."""
    org.A = org_services.unit_update(actor=None, unit=org.A, has_committee=True, on_date=org.A.valid_from)
    org.C = org_services.unit_create(actor=None, parent=org.G, name="Chi bộ thôn Mới", code="C", kind=UnitKind.CELL,
                                     valid_from=D(2026, 6, 1))
    _inspect(org.A, D(2026, 3, 2), member=org.mem_member)
    _inspect(org.A, D(2026, 9, 7), member=org.other_member, outcome=Outcome.VIOLATION,
             violation="Chậm nộp đảng phí 3 tháng", conclusion="Có vi phạm")
    _inspect(org.A, D(2025, 10, 1), member=org.mem_member)
    _inspect(org.B, D(2026, 4, 1), member=org.out_member)
    _inspect(org.G, D(2026, 5, 4), organisation=org.B, conductor=Conductor.COMMISSION)
    _inspect(org.G, D(2026, 6, 1), member=org.mem_member, kind=Kind.SUPERVISION)
    return org


def _values(unit, period, key):
    measure = measures.get(key)
    table = measures.compute_all(unit, period, [measure])[key]
    return lambda u: measures.value_at(table, u.path, measure).value


def test_held_counts_at_the_conductor_for_a_cell_a_commune_and_the_province_this_year_and_last(year):
    for period in (YEAR, LAST_YEAR):
        for root in (year.P, year.G, year.A):
            value = _values(root, period, "inspections.held")
            for unit in (year.P, year.G, year.A, year.B):
                if not unit.path.startswith(root.path):
                    continue
                direct = Inspection.objects.filter(kind="inspection", unit__path__startswith=unit.path,
                                                   end__gte=period.start, end__lte=period.end).count()
                assert value(unit) == direct
    value = _values(year.P, YEAR, "inspections.held")
    assert (value(year.A), value(year.B), value(year.G), value(year.P)) == (2, 1, 4, 4)
    assert _values(year.P, LAST_YEAR, "inspections.held")(year.A) == 1


def test_by_conductor_subjects_violations_and_supervisions(year):
    def at(key, unit):
        return _values(year.P, YEAR, key)(unit)

    assert at("inspections.held_by_cells_with_committee", year.G) == 2
    assert at("inspections.held_by_cells_without_committee", year.G) == 1
    assert at("inspections.held_by_commissions", year.G) == 1
    assert at("inspections.held_by_committees", year.G) == 0
    assert at("inspections.supervisions", year.G) == 1
    assert at("inspections.members_inspected", year.A) == 2
    assert at("inspections.units_inspected", year.G) == 1
    assert at("inspections.violations", year.P) == 1
    rows = measures.get("inspections.members_inspected").rows(year.G, YEAR)
    assert sorted(m.full_name for m in rows) == sorted(["Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"])


def test_recommendations_done_and_overdue_as_of_the_period_end(year):
    inspection = Inspection.objects.get(violation__startswith="Chậm")
    late = services.recommendation_add(actor=None, inspection=inspection, text="Nộp đủ đảng phí còn thiếu",
                                       due=D(2026, 10, 15))
    services.recommendation_add(actor=None, inspection=inspection, text="Kiểm điểm trước chi bộ", due=D(2027, 1, 31))
    assert _values(year.G, YEAR, "inspections.recommendations_overdue")(year.A) == 1
    services.recommendation_done(actor=None, recommendation=late, done_on=D(2026, 11, 2))
    assert _values(year.G, YEAR, "inspections.recommendations_overdue")(year.A) == 0
    assert _values(year.G, YEAR, "inspections.recommendations_done")(year.G) == 1
    # as of the end of October it was still overdue
    october = Period(D(2026, 10, 1), D(2026, 10, 31))
    assert _values(year.G, october, "inspections.recommendations_overdue")(year.A) == 1


def test_plan_items_held_against_planned(year):
    held = services.plan_item_create(actor=None, unit=year.G, kind=Kind.INSPECTION, area="dues",
                                     content="Thu, nộp đảng phí", start=D(2026, 3, 1), end=D(2026, 3, 31),
                                     organisation=year.A)
    services.plan_item_create(actor=None, unit=year.G, kind=Kind.SUPERVISION, area="resolutions",
                              content="Thực hiện Nghị quyết", start=D(2026, 8, 1), end=D(2026, 8, 31),
                              organisation=year.B)
    _inspect(year.G, D(2026, 3, 10), organisation=year.A, plan_item=held)
    value = measures.compute_all(year.G, YEAR, [measures.get("inspections.plan_held")])["inspections.plan_held"]
    assert (value[year.G.path].numerator, value[year.G.path].denominator, value[year.G.path].value) == (1, 2, 50.0)


def test_a_subject_outside_the_subtree_or_a_cell_inspecting_an_organisation_is_refused(year):
    with pytest.raises(ValidationError) as exc:
        _inspect(year.A, D(2026, 3, 1), member=year.out_member)  # a member of the sibling cell B
    assert "subject_id" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        _inspect(year.A, D(2026, 3, 1), organisation=year.B)
    assert "subject_id" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.inspection_record(actor=None, unit=year.A, kind=Kind.INSPECTION, member=year.mem_member,
                                   start=D(2026, 3, 9), end=D(2026, 3, 1), content="Đảng phí")
    assert set(exc.value.error_dict) == {"end"}
    with pytest.raises(ValidationError) as exc:
        _inspect(year.A, D(2026, 3, 1), member=year.mem_member, outcome=Outcome.VIOLATION)
    assert "violation" in exc.value.error_dict
    assert Inspection.objects.count() == 6  # nothing half-written


def test_the_two_one_target_on_inspections_held(year):
    """229/321 chi bộ: at least 2 with a cell committee, 1 without; C (new in June) inspected
    nothing and misses; a cell merged away before the year's end is not counted."""
    x = org_services.unit_create(actor=None, parent=year.G, name="Chi bộ đã sáp nhập", code="X", kind=UnitKind.CELL,
                                 valid_from=D(2020, 1, 1))
    org_services.unit_update(actor=None, unit=x, valid_to=D(2026, 5, 1))
    target = targets.target_create(actor=None, unit=year.G, title="Chi bộ kiểm tra đảng viên",
                                   measure="inspections.held", applies_kind="cell",
                                   thresholds=[{"has_committee": True, "min": 2}, {"has_committee": False, "min": 1}],
                                   start=YEAR.start, end=YEAR.end)
    result = targets.attainment(target)
    assert {code_of(r): (r.value, r.required, r.met) for r in result.results} == {
        "A": (2, 2, True), "B": (1, 1, True), "C": (0, 1, False)}
    assert (result.units, result.met, result.rate) == (3, 2, 66.67)


def _post(client, unit, body):
    return client.post(f"/api/units/{unit.pk}/inspections", json.dumps(body), content_type="application/json")


BODY = {"kind": "inspection", "subject": "member", "start": "2026-04-01", "end": "2026-04-05",
        "content": "Thực hiện nhiệm vụ đảng viên", "conclusion": "Tốt"}


def test_the_api_contract(client, year):
    client.force_login(year.users["sec"])  # secretary of A
    made = _post(client, year.A, dict(BODY, subject_id=year.mem_member.pk))
    assert made.status_code == 201
    got = client.get(f"/api/inspections/{made.json()['id']}").json()
    assert (got["kind"], got["subject"], got["subject_id"], got["unit"], got["conclusion"]) == (
        "inspection", "member", year.mem_member.pk, year.A.pk, "Tốt")
    bad = _post(client, year.A, dict(BODY, subject_id=year.mem_member.pk, start="2026-04-09"))
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["end"]
    # a member of the sibling cell, a unit above, an id that does not exist: 404 naming nothing
    for subject, pk in (("member", year.out_member.pk), ("unit", year.G.pk), ("member", 10**9)):
        answer = _post(client, year.A, dict(BODY, subject=subject, subject_id=pk))
        assert answer.status_code == 404 and "Hoàng" not in answer.content.decode()
    assert Inspection.objects.filter(unit=year.A).count() == 4
    listed = client.get(f"/api/units/{year.A.pk}/inspections?from=2026-01-01&to=2026-12-31").json()
    # A's three of this year, and G's supervision of A's member
    assert listed["count"] == 4 and {i["unit"] for i in listed["items"]} == {year.A.pk, year.G.pk}
    assert client.get(f"/api/units/{year.A.pk}/inspections?from=2025-01-01&to=2025-12-31").json()["count"] == 1


def test_who_reads_an_inspection(client, year):
    of_b = Inspection.objects.get(subject_unit=year.B)
    of_mem = Inspection.objects.filter(subject_member=year.mem_member, unit=year.A).first()
    client.force_login(year.users["out"])  # secretary of B: the subject of G's inspection
    assert client.get(f"/api/inspections/{of_b.pk}").status_code == 200
    assert client.get(f"/api/inspections/{of_mem.pk}").status_code == 404
    assert _post(client, year.A, dict(BODY, subject_id=year.mem_member.pk)).status_code == 404
    client.force_login(year.users["mem"])  # the member inspected reads it, and nothing else
    assert client.get(f"/api/inspections/{of_mem.pk}").status_code == 200
    assert client.get(f"/api/inspections/{of_b.pk}").status_code == 404
    client.force_login(year.users["view"])  # reads, may not record
    assert client.get(f"/api/inspections/{of_b.pk}").status_code == 200
    assert _post(client, year.G, dict(BODY, subject_id=year.mem_member.pk)).status_code == 403


def test_plan_items_are_refused_for_subjects_outside(year):
    with pytest.raises(ValidationError):
        services.plan_item_create(actor=None, unit=year.A, kind=Kind.INSPECTION, area="duties", content="x",
                                  start=D(2026, 1, 1), end=D(2026, 2, 1), member=year.out_member)
    assert not PlanItem.objects.exists()


def test_pages_record_conclude_and_follow_up(client, year):
    client.force_login(year.users["sec"])
    page = client.get(f"/units/{year.A.pk}/inspections/?year=2026")
    assert page.status_code == 200 and 'id="inspection-form"' in page.content.decode()
    answer = client.post(f"/units/{year.A.pk}/inspections/?year=2026", {
        "form": "inspection", "kind": "inspection", "area": "dues", "subject_member": year.mem_member.pk,
        "content": "Thu, nộp đảng phí", "start": "2026-11-02", "end": "2026-11-03"})
    inspection = Inspection.objects.latest("id")
    assert answer.status_code == 302 and answer["Location"] == f"/inspections/{inspection.pk}/"
    client.post(f"/inspections/{inspection.pk}/", {"form": "conclusion", "outcome": "violation", "conclusion": "",
                                                  "violation": "Nộp chậm 2 tháng"})
    client.post(f"/inspections/{inspection.pk}/", {"form": "recommendation", "text": "Nộp đủ", "due": "2026-11-20"})
    rec = inspection.recommendations.get()
    client.post(f"/inspections/{inspection.pk}/", {"form": "done", "recommendation": rec.pk, "done_on": "2026-11-18"})
    rec.refresh_from_db()
    inspection.refresh_from_db()
    assert (inspection.outcome, inspection.violation, rec.done_on) == ("violation", "Nộp chậm 2 tháng", D(2026, 11, 18))
    # a bad end date is shown on the form, naming the field, and nothing is stored
    bad = client.post(f"/units/{year.A.pk}/inspections/?year=2026", {
        "form": "inspection", "kind": "inspection", "area": "dues", "subject_member": year.mem_member.pk,
        "content": "x", "start": "2026-11-05", "end": "2026-11-01"})
    assert bad.status_code == 200 and "trước" in bad.content.decode()
    assert Inspection.objects.count() == 7
    client.force_login(year.users["mem"])  # the member inspected: reads it, cannot change it
    assert client.get("/account/inspections/").content.decode().count("/inspections/") >= 2
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 200
    assert client.post(f"/inspections/{inspection.pk}/", {"form": "conclusion", "outcome": "good"}).status_code == 404
    inspection.refresh_from_db()
    assert inspection.outcome == "violation"
    assert client.get(f"/units/{year.A.pk}/inspections/").status_code == 404
    client.force_login(year.users["out"])  # the sibling cell's secretary
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404
    assert client.get(f"/units/{year.A.pk}/inspections/").status_code == 404


def test_a_committee_records_through_its_commission_citing_its_decision(client, year):
    from dangvu.documents import services as documents

    year.G = org_services.unit_update(actor=None, unit=year.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=year.G, name="2025-2030", congress_closed_on=D(2025, 8, 20))
    decision = documents.document_issue(actor=None, unit=year.G, doc_type="QĐ", issued_on=D(2026, 7, 1),
                                        summary="Quyết định kiểm tra chi bộ thôn Bản Mới")
    client.force_login(year.users["off"])
    page = client.get(f"/units/{year.G.pk}/inspections/").content.decode()
    assert "Quyết định kiểm tra chi bộ thôn Bản Mới" in page
    answer = client.post(f"/units/{year.G.pk}/inspections/", {
        "form": "inspection", "kind": "inspection", "area": "resolutions", "subject_unit": year.B.pk,
        "conductor": "commission", "decision": decision.pk, "content": "Lãnh đạo thực hiện nghị quyết",
        "start": "2026-07-10", "end": "2026-07-20"})
    assert answer.status_code == 302
    made = Inspection.objects.latest("id")
    assert (made.conductor, made.decision, made.subject_unit) == ("commission", decision, year.B)
    notice = documents.document_issue(actor=None, unit=year.G, doc_type="TB", issued_on=D(2026, 7, 25),
                                      summary="Thông báo kết luận kiểm tra")
    client.post(f"/inspections/{made.pk}/", {"form": "attach", "document": notice.pk})
    assert list(made.attachments.all()) == [notice]
    assert "Thông báo kết luận kiểm tra" in client.get(f"/inspections/{made.pk}/").content.decode()
    client.force_login(year.users["sec"])  # A's secretary may not attach to G's inspection of B
    assert client.post(f"/inspections/{made.pk}/", {"form": "attach", "document": decision.pk}).status_code == 404


def test_dates_are_typed_and_shown_day_first_whatever_the_browser(client, year):
    client.force_login(year.users["sec"])
    form = client.get(f"/units/{year.A.pk}/inspections/").content.decode()
    assert 'placeholder="dd/mm/yyyy"' in form and 'type="date"' not in form.split('id="inspection-form"')[1]
    client.post(f"/units/{year.A.pk}/inspections/", {
        "form": "inspection", "kind": "inspection", "area": "dues", "subject_member": year.mem_member.pk,
        "content": "Thu, nộp đảng phí", "start": "05/03/2026", "end": "2026-03-06"})
    made = Inspection.objects.latest("id")
    assert (made.start, made.end) == (D(2026, 3, 5), D(2026, 3, 6))  # 5 March, not 3 May
