"""Targets against recorded figures: the threshold by attribute, rates, units with nothing
recorded, units created or merged during the year, the copy to next year, the API contract."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from conftest import make_member
from dangvu.orgs import services as org_services
from dangvu.orgs.models import UnitKind
from dangvu.study import services as study
from dangvu.targets import services
from dangvu.targets.models import Target

D = datetime.date
YEAR = (D(2026, 1, 1), D(2026, 12, 31))


def code_of(result) -> str:
    """The unit code of an attainment row (attainment carries ids and paths, not names)."""
    from dangvu.orgs.models import OrgUnit

    return OrgUnit.objects.get(pk=result.unit.pk).code


@pytest.fixture
def cells(org):
    """G's cells: A (with a cell committee), B (without), C (new in June, without), X (merged away in May)."""
    org.A = org_services.unit_update(actor=None, unit=org.A, has_committee=True, on_date=org.A.valid_from)
    org.C = org_services.unit_create(actor=None, parent=org.G, name="Chi bộ thôn Mới", code="C", kind=UnitKind.CELL,
                                     valid_from=D(2026, 6, 1))
    org.X = org_services.unit_create(actor=None, parent=org.G, name="Chi bộ đã sáp nhập", code="X",
                                     kind=UnitKind.CELL, valid_from=D(2020, 1, 1))
    org.X = org_services.unit_update(actor=None, unit=org.X, valid_to=D(2026, 5, 1))
    make_member(org.C, "Đinh Văn Chí", D(1980, 1, 1), admission_date=D(2006, 1, 1))
    for unit, n in ((org.A, 2), (org.B, 1), (org.C, 0)):
        campaign = study.campaign_create(actor=None, unit=unit, title=f"Chuyên đề {unit.code}", documents=[],
                                         units=[unit], start=D(2026, 6, 1), end=D(2026, 9, 30), essay_required=False)
        for day in range(n):
            study.session_record(actor=None, campaign=campaign, held_on=D(2026, 6, 10 + day))
    return org


def _two_one(org, **extra):
    return services.target_create(actor=None, unit=org.G, title="Sinh hoạt chuyên đề", measure="study.sessions",
                                  applies_kind="cell", thresholds=[{"has_committee": True, "min": 2},
                                                                   {"has_committee": False, "min": 1}],
                                  start=YEAR[0], end=YEAR[1], **extra)


def test_two_with_a_committee_one_without_a_new_cell_counts_a_merged_one_does_not(cells):
    result = services.attainment(_two_one(cells))
    by_unit = {code_of(r): (r.value, r.required, r.met) for r in result.results}
    assert by_unit == {"A": (2, 2, True), "B": (1, 1, True), "C": (0, 1, False)}  # X merged before year end
    assert (result.units, result.met, result.rate) == (3, 2, 66.67)
    assert [code_of(r) for r in result.missed] == ["C"]


def test_a_rate_target_and_the_copy_to_next_year(cells):
    target = services.target_create(actor=None, unit=cells.G, title="Trên 98% đảng viên tham gia học tập",
                                    measure="study.participants", applies_kind="cell",
                                    thresholds=[{"has_committee": None, "min": 98}], start=YEAR[0], end=YEAR[1])
    result = services.attainment(target)
    assert {code_of(r) for r in result.results} == {"A", "B", "C"}
    assert not result.met  # nobody was marked present anywhere
    copy = services.target_copy_to_year(actor=None, target=target, year=2027)
    assert (copy.start, copy.end, copy.thresholds, copy.measure) == (D(2027, 1, 1), D(2027, 12, 31),
                                                                     target.thresholds, target.measure)


@pytest.mark.parametrize("change, field", [({"measure": "khong.co"}, "measure"), ({"thresholds": []}, "thresholds"),
                                           ({"start": D(2026, 12, 31), "end": D(2026, 1, 1)}, "to")])
def test_bad_targets_are_refused_naming_the_field(org, change, field):
    values = dict(actor=None, unit=org.G, title="Chỉ tiêu", measure="study.sessions",
                  thresholds=[{"has_committee": None, "min": 1}], start=YEAR[0], end=YEAR[1])
    values.update(change)
    with pytest.raises(ValidationError) as exc:
        services.target_create(**values)
    assert field in exc.value.error_dict
    assert not Target.objects.exists()


def test_the_api_contract(client, cells):
    client.force_login(cells.users["off"])
    body = {"title": "Sinh hoạt chuyên đề", "measure": "study.sessions",
            "applies_to": {"kind": "cell", "has_committee": None},
            "thresholds": [{"has_committee": True, "min": 2}, {"has_committee": False, "min": 1}],
            "from": "2026-01-01", "to": "2026-12-31"}
    made = client.post(f"/api/units/{cells.G.pk}/targets", json.dumps(body), content_type="application/json")
    assert made.status_code == 201
    data = client.get(f"/api/targets/{made.json()['id']}/attainment").json()
    assert (data["units"], data["met"], data["rate"], data["missed"]) == (3, 2, 66.67, [cells.C.pk])
    assert {"unit": cells.A.pk, "value": 2, "required": 2, "met": True} in data["by_unit"]
    bad = client.post(f"/api/units/{cells.G.pk}/targets", json.dumps(dict(body, measure="khong.co")),
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "measure"
    page = client.get(f"/targets/{made.json()['id']}/").content.decode()
    assert "2/3" in page and "66,67%" in page and "Chi bộ thôn Mới" in page
    client.force_login(cells.users["out"])  # a sibling cell's secretary
    assert client.get(f"/api/targets/{made.json()['id']}/attainment").status_code == 404
    assert client.post(f"/api/units/{cells.G.pk}/targets", json.dumps(body),
                       content_type="application/json").status_code == 404


def test_a_cell_sees_the_targets_set_for_it_with_its_own_value(client, cells):
    target = _two_one(cells)
    client.force_login(cells.users["sec"])  # the secretary of A (with a cell committee)
    page = client.get(f"/units/{cells.A.pk}/targets/").content.decode()
    assert 'id="targets-from-above"' in page and target.title in page
    dashboard = client.get(f"/units/{cells.A.pk}/figures/?year=2026").content.decode()
    assert target.title in dashboard
    results = services.targets_on(cells.A, {"study.sessions"})
    assert [(r.target.pk, r.value, r.required, r.met) for r in results] == [(target.pk, 2, 2, True)]
    assert services.targets_on(cells.A, set()) == []  # a figure the user may not read shows no target
    assert services.targets_on(cells.G, {"study.sessions"}) == []  # the setter's own target is not "from above"


def test_the_page_lists_met_and_missed_exports_and_draws_by_sub_unit(client, cells):
    import io

    from openpyxl import load_workbook

    target = _two_one(cells)
    client.force_login(cells.users["off"])
    page = client.get(f"/targets/{target.pk}/").content.decode()
    assert "2/3 chi bộ, đạt 66,67% kế hoạch" in page
    met_part = page.split('id="met"')[1]
    assert "Chi bộ thôn Nà Ngoa" in met_part and "Chi bộ thôn Mới" not in met_part
    assert "Đảng bộ xã Hùng An" in page  # each unit with the one it belongs to
    sheet = load_workbook(io.BytesIO(client.get(f"/targets/{target.pk}/?format=xlsx").content)).active
    rows = {r[0]: r[2:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Chi bộ thôn Mới"] == (0, 1, "không") and rows["Chi bộ thôn Nà Ngoa"] == (2, 2, "có")
    # from the province, the commune is one branch: 2 of its 3 cells
    above = services.target_create(actor=None, unit=cells.P, title="Tỉnh", measure="study.sessions",
                                   applies_kind="cell", thresholds=[{"has_committee": None, "min": 1}],
                                   start=YEAR[0], end=YEAR[1])
    branches = services.attainment(above).by_branch(cells.P, above.end)
    assert [(u.code, a.met, a.units) for u, a in branches] == [("G", 2, 3)]
    chart = client.get(f"/targets/{target.pk}/chart.png")
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    client.force_login(cells.users["out"])
    assert client.get(f"/targets/{target.pk}/chart.png").status_code == 404


def test_the_setters_dashboard_shows_its_targets_with_their_attainment(client, cells):
    target = _two_one(cells)
    client.force_login(cells.users["off"])
    page = client.get(f"/units/{cells.G.pk}/figures/?year=2026").content.decode()
    part = page.split('id="targets-set"')[1]
    assert target.title in part and "2/3 chi bộ, đạt 66,67% kế hoạch" in part
    assert f"/targets/{target.pk}/chart.png" in part
    last_year = client.get(f"/units/{cells.G.pk}/figures/?year=2025").content.decode()
    assert 'id="targets-set"' not in last_year  # the 2026 target does not cover 2025


def test_a_province_target_narrows_to_a_sub_unit_and_lists_at_most_a_page(client, cells, monkeypatch):
    from dangvu.targets import views

    monkeypatch.setattr(views, "LISTED", 1)
    target = services.target_create(actor=None, unit=cells.P, title="Tỉnh", measure="study.sessions",
                                    applies_kind="cell", thresholds=[{"has_committee": None, "min": 2}],
                                    start=YEAR[0], end=YEAR[1])
    client.force_login(cells.users["off"])  # an officer of G: the province's target, G's part only
    assert client.get(f"/targets/{target.pk}/").status_code == 404  # the setter's unit is above their scope
    client.force_login(cells.users["view"])
    assert client.get(f"/targets/{target.pk}/?within={cells.G.pk}").status_code == 404
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x-root")
    client.force_login(admin)
    page = client.get(f"/targets/{target.pk}/?within={cells.G.pk}").content.decode()
    assert "1/3 chi bộ, đạt 33,33% kế hoạch" in page  # A (2 sessions) met; B and C missed
    missed = page.split('id="missed"')[1].split("</table>")[0]
    assert missed.count("Chi bộ thôn Bản Mới") + missed.count("Chi bộ thôn Mới") == 1  # one listed of two missed
    assert "Liệt kê 1 đơn vị đầu tiên trong 2" in page
    for bad in ("abc", "-1", str(2**70), str(cells.P.pk + 10**6)):
        assert client.get(f"/targets/{target.pk}/?within={bad}").status_code == 404
