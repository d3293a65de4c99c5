"""Every measure against rows counted directly, at the province (P), the commune (G) and
a cell (A, B), this year and last, over a year with admissions, transfers during a
campaign, an admission after it, a death and a removal."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_member
from dangvu.figures.tests.scenario import record_year, unit_named
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.orgs import services as org_services
from dangvu.orgs.models import UnitKind
from dangvu.study import services as study

D = datetime.date
Y2025, Y2026 = Period.year(2025), Period.year(2026)
MARCH = Period(D(2026, 3, 1), D(2026, 3, 31))


@pytest.fixture
def year(org):
    return record_year(org)


def values(unit, period):
    table = measures.compute_all(unit, period)
    return {m.key: measures.value_at(table[m.key], unit.path, m) for m in measures.all_measures()}


# what the scenario says, unit by unit (P province, G commune, A and B cells, H/C the other commune)
EXPECTED_2026 = {
    # as of 31/12/2026: A: sec, mem, x, z · B: other, f, y (out died, r removed 2025) · C: none
    "members.total": {"P": 7, "G": 7, "A": 4, "B": 3},
    "members.full": {"P": 5, "G": 5, "A": 3, "B": 2},  # f was made full in April
    "members.probationary": {"P": 2, "G": 2, "A": 1, "B": 1},
    "members.admitted": {"P": 2, "G": 2, "A": 1, "B": 1},
    "members.made_full": {"P": 1, "G": 1, "A": 0, "B": 1},
    "members.transferred_in": {"P": 0, "G": 1, "A": 1, "B": 1},  # z from H into A; other A→B
    "members.transferred_out": {"P": 0, "G": 0, "A": 1, "B": 0},
    "members.died": {"P": 1, "G": 1, "A": 0, "B": 1},
    "members.removed": {"P": 0, "G": 0, "A": 0, "B": 0},
    "study.campaigns": {"P": 1, "G": 1, "A": 1, "B": 1},
    # other was present on 10/3 while in A (he moved to B on 15/3): the session is A's, not B's
    "study.sessions": {"P": 1, "G": 1, "A": 1, "B": 0},
    # held: G organised the campaign and its one session; the cells only attended
    "study.campaigns_held": {"P": 1, "G": 1, "A": 0, "B": 0},
    "study.sessions_held": {"P": 1, "G": 1, "A": 0, "B": 0},
    # lượt: mem, x and other present on 10/3, each where they belonged that day
    "study.attendances": {"P": 3, "G": 3, "A": 3, "B": 0},
    # eligible in March: A: sec, mem, other, x · B: other, out, f; y (May) and z (June) are not
    "study.participants": {"P": (3, 6), "G": (3, 6), "A": (3, 4), "B": (1, 3)},
    "study.essays_required": {"P": 6, "G": 6, "A": 4, "B": 3},  # one essay of other, asked in A and in B
    "study.essays_submitted": {"P": 3, "G": 3, "A": 3, "B": 1},
    "study.essays_passed": {"P": 1, "G": 1, "A": 1, "B": 0},
    "study.essays_passed_after_rework": {"P": 1, "G": 1, "A": 1, "B": 0},
    "study.essays_returned_thin": {"P": 1, "G": 1, "A": 1, "B": 0},
    "study.essays_returned_copied": {"P": 1, "G": 1, "A": 1, "B": 1},
    "inspections.held": {"P": 2, "G": 2, "A": 1, "B": 0},  # at the conductor: A's of mem, G's of B
    "inspections.held_by_cells_without_committee": {"P": 1, "G": 1, "A": 1, "B": 0},
    "inspections.held_by_commissions": {"P": 1, "G": 1, "A": 0, "B": 0},
    "inspections.members_inspected": {"P": 1, "G": 1, "A": 1, "B": 0},
    "inspections.units_inspected": {"P": 1, "G": 1, "A": 0, "B": 0},
    "inspections.supervisions": {"P": 1, "G": 1, "A": 1, "B": 0},
    "inspections.violations": {"P": 1, "G": 1, "A": 0, "B": 0},
    "inspections.recommendations_overdue": {"P": 1, "G": 1, "A": 0, "B": 0},
    "inspections.plan_held": {"P": (1, 2), "G": (1, 2), "A": (0, 0), "B": (0, 0)},
}


def _count(rows) -> int:
    return rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)


@pytest.mark.parametrize("level", ["P", "G", "A", "B"])
def test_every_measure_equals_its_rows_and_the_scenario(year, level):
    unit = getattr(year, level)
    got = values(unit, Y2026)
    for key, by_level in EXPECTED_2026.items():
        expected = by_level[level]
        if isinstance(expected, tuple):
            assert (got[key].numerator, got[key].denominator) == expected, (key, level, got[key])
        else:
            assert got[key].value == expected, (key, level, got[key])
    for m in measures.all_measures():
        rows = m.rows(unit, Y2026)
        expected_rows = got[m.key].denominator if m.rate else got[m.key].value
        if m.key == "study.attendances":
            continue  # lượt are head counts or presences; its rows are the sessions they come from
        assert _count(rows) == expected_rows, (m.key, level)


def test_a_past_year_is_counted_as_it_was(year):
    got = values(year.P, Y2025)
    assert got["members.removed"].value == 1 and got["members.admitted"].value == 1  # r struck off; f admitted
    # on 31/12/2025: sec, mem, other, out, f (r removed, x y not yet admitted); z in the other commune
    assert got["members.total"].value == 6 and values(year.G, Y2025)["members.total"].value == 5
    assert got["study.campaigns"].value == 0
    assert got["inspections.held"].value == 0 and got["inspections.recommendations_overdue"].value == 0


def test_a_closed_campaign_does_not_change_when_members_arrive_later(year):
    before = values(year.G, MARCH)
    later = make_member(year.A, "Ma Văn Muộn", D(1990, 1, 1), admission_date=D(2026, 11, 1), official_date=None,
                        status="du_bi")
    org_services.member_transfer(actor=None, member=later, to_unit=year.B, on_date=D(2026, 11, 20))
    after = values(year.G, MARCH)
    for key in ("study.participants", "study.essays_required", "study.essays_submitted", "members.total"):
        assert before[key] == after[key], key
    from dangvu.study.selectors import missing_members

    assert later not in missing_members(year.campaign, year.G)


def test_figures_cost_the_same_queries_whatever_the_number_of_units_and_campaigns(year):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            measures.compute_all(year.P, Y2026)
        return len(captured)

    first = queries()
    for n in range(3):
        cell = unit_named(year.H, f"Chi bộ thêm {n}", f"X{n}", UnitKind.CELL)
        make_member(cell, f"Đảng viên Thêm {n}", D(1985, 1, 1))
        study.campaign_create(actor=None, unit=year.H, title=f"Chuyên đề {n}", documents=[], units=[year.H],
                              start=D(2026, 5, 1), end=D(2026, 5, 30), essay_required=False)
    assert queries() == first


# --- the API contract ------------------------------------------------------------------------

def test_the_figures_api_keeps_its_shape(client, year):
    client.force_login(year.users["off"])
    listed = client.get("/api/measures").json()
    assert {"members.total", "study.participants", "documents.issued", "training.new_members_completed"} <= {
        m["key"] for m in listed}
    assert all(set(m) == {"key", "label", "unit", "definition"} for m in listed)
    data = client.get(f"/api/units/{year.G.pk}/figures?from=2026-01-01&to=2026-12-31").json()
    assert data["unit"] == year.G.pk and data["from"] == "2026-01-01" and data["to"] == "2026-12-31"
    assert data["figures"]["members.total"] == {"value": 7, "numerator": None, "denominator": None}
    assert data["figures"]["study.participants"]["numerator"] == 3
    assert {c["unit"] for c in data["children"]} == {year.A.pk, year.B.pk}
    a = next(c for c in data["children"] if c["unit"] == year.A.pk)
    assert a["name"] == year.A.name and a["figures"]["members.total"]["value"] == 4
    default = client.get(f"/api/units/{year.G.pk}/figures").json()
    assert default["from"] == f"{datetime.date.today().year}-01-01"
    rows = client.get(f"/api/units/{year.A.pk}/figures/members.total/rows?from=2026-01-01&to=2026-12-31").json()
    assert rows["count"] == 4 and {r["id"] for r in rows["items"]} == {
        year.sec_member.pk, year.mem_member.pk, year.x.pk, year.z.pk}


@pytest.mark.parametrize("url, field", [
    ("/api/units/{G}/figures?from=2026-12-31&to=2026-01-01", "from"),
    ("/api/units/{G}/figures?from=1800-01-01&to=2026-01-01", "from"),
    ("/api/units/{G}/figures?from=2026-01-01&to=9999-01-01", "to"),
    ("/api/units/{G}/figures/khong.co/rows", "key"),
    ("/api/units/{G}/figures?from=2026-02-30", "from"),
])
def test_bad_periods_and_keys_get_422_naming_the_field(client, year, url, field):
    client.force_login(year.users["off"])
    response = client.get(url.format(G=year.G.pk))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_figures_and_rows_keep_the_scope(client, year):
    """B's secretary reads B's figures and not A's. (The scenario's first secretary of B died in
    2026, and his rights ended with him: f, a member of B, holds the role now.)"""
    from django.contrib.auth import get_user_model

    from dangvu.orgs.models import RoleKind
    from dangvu.orgs.services import role_assign

    client.force_login(year.users["out"])
    assert client.get(f"/api/units/{year.B.pk}/figures").status_code == 404  # rights end with membership
    secretary = get_user_model().objects.create_user(username="b-sec", password="x-b-sec")
    year.f.user = secretary
    year.f.save(update_fields=["user"])
    role_assign(actor=None, unit=year.B, member=year.f, role=RoleKind.SECRETARY, start=datetime.date(2026, 6, 1))
    client.force_login(secretary)
    assert client.get(f"/api/units/{year.A.pk}/figures").status_code == 404
    assert client.get(f"/api/units/{year.A.pk}/figures/members.total/rows").status_code == 404
    assert client.get(f"/units/{year.A.pk}/figures/").status_code == 404
    mine = client.get(f"/api/units/{year.B.pk}/figures?from=2026-01-01&to=2026-12-31").json()
    assert mine["figures"]["members.total"]["value"] == 3


def test_member_history_through_the_api(client, year):
    client.force_login(year.users["off"])
    moved = client.post(f"/api/members/{year.y.pk}/transfer", json.dumps({"unit": year.A.pk, "date": "2026-11-01"}),
                        content_type="application/json")
    assert moved.status_code == 200 and moved.json()["unit_id"] == year.A.pk
    refused = client.post(f"/api/members/{year.y.pk}/transfer", json.dumps({"unit": year.C.pk, "date": "2026-11-02"}),
                          content_type="application/json")
    assert refused.status_code == 422  # C is outside the officer's units: as if it did not exist
    early = client.post(f"/api/members/{year.x.pk}/full", json.dumps({"date": "2026-01-15"}),
                        content_type="application/json")
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "date"
    gone = client.post(f"/api/members/{year.sec_member.pk}/leave", json.dumps({"reason": "moved_away",
                                                                               "date": "2026-11-10"}),
                       content_type="application/json")
    assert gone.status_code == 200 and gone.json()["status"] == "chuyen_di"
    assert values(year.A, Y2026)["members.transferred_out"].value == 2


def test_a_figure_by_sub_unit_is_drawn_as_a_chart(client, year):
    client.force_login(year.users["off"])
    chart = client.get(f"/units/{year.G.pk}/figures/study.participants/chart.png?from=2026-01-01&to=2026-12-31")
    assert chart.status_code == 200 and chart["Content-Type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG")
    page = client.get(f"/units/{year.G.pk}/figures/?year=2026").content.decode()
    assert 'id="participation-chart"' in page
    client.force_login(year.users["out"])
    assert client.get(f"/units/{year.A.pk}/figures/study.participants/chart.png").status_code == 404


def test_theory_levels_count_in_the_unit_of_that_day(year):
    from dangvu.training.models import TheoryLevel

    # z completed trung cấp in May while still in the other commune, then moved into A in June
    TheoryLevel.objects.create(member=year.z, level="trung_cap", status="completed", sent_on=D(2025, 9, 1),
                               completed_on=D(2026, 5, 20))
    TheoryLevel.objects.create(member=year.x, level="so_cap", status="sent", sent_on=D(2026, 8, 1))
    assert values(year.H, Y2026)["training.theory_completed_trung_cap"].value == 1
    assert values(year.A, Y2026)["training.theory_completed_trung_cap"].value == 0
    assert values(year.P, Y2026)["training.theory_completed_trung_cap"].value == 1
    assert values(year.A, Y2026)["training.theory_sent_so_cap"].value == 1
    assert values(year.P, Y2025)["training.theory_sent_trung_cap"].value == 1
    rows = measures.get("training.theory_completed_trung_cap").rows(year.P, Y2026)
    assert [t.member_id for t in rows] == [year.z.pk]


def test_a_member_of_two_campaigns_counts_once_among_participants(year):
    """With one campaign a member is one (campaign, member) pair; with two, once all the same."""
    second = study.campaign_create(actor=None, unit=year.G, title="Học tập chuyên đề", documents=[], units=[year.G],
                                   start=D(2026, 4, 1), end=D(2026, 4, 30), essay_required=False)
    session = study.session_record(actor=None, campaign=second, held_on=D(2026, 4, 10))
    study.attendance_record(actor=None, session=session, unit_path=year.G.path,
                            marks={year.sec_member.pk: "present", year.mem_member.pk: "present"})
    got = values(year.G, Y2026)["study.participants"]
    # eligible in March or April: sec, mem, other, x (A) and out, f (B); present: mem, x, other, then sec
    assert (got.numerator, got.denominator) == (4, 6)
    cell = values(year.A, Y2026)["study.participants"]
    assert (cell.numerator, cell.denominator) == (4, 4)  # other was in A during the first


def test_a_unit_with_many_sub_units_shows_its_own_figures_and_gives_the_rest_as_xlsx(client, year, monkeypatch):
    import io

    from openpyxl import load_workbook

    from dangvu.figures import selectors

    client.force_login(year.users["off"])
    page = client.get(f"/units/{year.G.pk}/figures/?year=2026").content.decode()
    assert year.A.name in page and 'id="many-sub-units"' not in page  # two sub-units: columns
    monkeypatch.setattr(selectors, "CHILD_COLUMNS", 1)
    page = client.get(f"/units/{year.G.pk}/figures/?year=2026").content.decode()
    assert 'id="many-sub-units"' in page and f"<th class=\"num hide-sm\">{year.A.name}" not in page
    answer = client.get(f"/units/{year.G.pk}/figures/?year=2026&format=xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r and r[0] in ("Đơn vị", "Unit"))
    column = next(i for i, h in enumerate(header) if h and h.startswith(str(measures.get("members.total").label)))
    by_unit = {r[0]: r[column] for r in rows[rows.index(header) + 1:]}
    for unit in (year.G, year.A, year.B):
        assert by_unit[unit.name] == values(unit, Y2026)["members.total"].value


def test_a_figure_over_five_years(client, year):
    from dangvu.figures.views import trend

    points = dict(trend(year.G, measures.get("members.total"), 2026))
    assert list(points) == [2022, 2023, 2024, 2025, 2026]
    assert points[2026] == values(year.G, Y2026)["members.total"].value == 7
    assert points[2025] == values(year.G, Y2025)["members.total"].value
    client.force_login(year.users["off"])
    answer = client.get(f"/units/{year.G.pk}/figures/members.total/trend.png?year=2026")
    assert answer.status_code == 200 and answer.content.startswith(b"\x89PNG")
    client.force_login(year.users["out"])  # a sibling cell's secretary: the commune is not hers
    assert client.get(f"/units/{year.G.pk}/figures/members.total/trend.png").status_code == 404
