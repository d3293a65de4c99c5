"""A report of a unit is about the time the unit existed: a commune formed by the merger of
1/7/2025 has no report for 2024 (refused on the period's last day, page and API), its 2025
report says since when it exists and compares nothing with 2024, and the communes merged
into it keep their 2024 and first-half 2025 reports, made by the committee above."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from conftest import make_member, run_worker
from dangvu.accounts.models import Team
from dangvu.lib.keys import FULL_KEYS
from dangvu.orgs import services as org_services
from dangvu.orgs.models import UnitKind
from dangvu.reports import services
from dangvu.reports.document import appendix_rows
from dangvu.reports.models import Report

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True)  # the real worker builds the reports
FOUNDED = "“Đảng bộ xã Hùng Phú” được thành lập ngày 01/07/2025"


@pytest.fixture
def merged(org):
    """G (cells A, B) and H (cell C) merged into N on 1/7/2025; a member admitted into A in
    March (under G) and one in September (under N); `tinh` writes reports over the province,
    `xa` over N only."""
    o = org
    o.H = org_services.unit_create(actor=None, parent=o.P, name="Đảng bộ xã Yên Phú", code="H",
                                   kind=UnitKind.GRASSROOTS, valid_from=D(2020, 1, 1))
    o.C = org_services.unit_create(actor=None, parent=o.H, name="Chi bộ thôn Nà Mò", code="C", kind=UnitKind.CELL,
                                   valid_from=D(2020, 1, 1))
    make_member(o.C, "Triệu Văn Zũng", D(1980, 1, 1))
    make_member(o.A, "Nông Thị Xuân", D(1996, 4, 4), admission_date=D(2025, 3, 1), official_date=None,
                status="du_bi")
    o.N = org_services.unit_merge(actor=None, units=[o.G, o.H], name="Đảng bộ xã Hùng Phú", code="N",
                                  on_date=D(2025, 7, 1))
    o.A.refresh_from_db()
    make_member(o.A, "Lý Thị Yến", D(1999, 9, 9), admission_date=D(2025, 9, 1), official_date=None, status="du_bi")
    for name, unit in (("tinh", o.P), ("xa", o.N)):
        o.users[name] = get_user_model().objects.create_user(username=name, password="x-" + name)
        Team.objects.create(name=f"Văn phòng {unit.code}", unit=unit, permissions=sorted(FULL_KEYS)).users.add(
            o.users[name])
    o.G.refresh_from_db()
    return o


def _create(client, unit, start, end, capture):
    with capture(execute=True):
        answer = client.post(f"/api/units/{unit.pk}/reports", {"from": start, "to": end},
                             content_type="application/json")
    return answer


def test_a_period_that_ends_before_the_unit_was_founded_is_refused(client, merged):
    client.force_login(merged.users["tinh"])
    for body in ({"from": "2024-01-01", "to": "2024-12-31"}, {"from": "2025-01-01", "to": "2025-06-30"}):
        answer = client.post(f"/api/units/{merged.N.pk}/reports", body, content_type="application/json")
        assert answer.status_code == 422
        errors = answer.json()["errors"]
        assert [e["field"] for e in errors] == ["to"]
        assert errors[0]["message"] == (f"{FOUNDED}: kỳ báo cáo của đơn vị phải kết thúc từ ngày đó trở đi "
                                        "(trước ngày thành lập, đơn vị chưa có số liệu).")
    # the page: on the year when a year was given, on the last day when the days were
    shipped = services.shipped_template()
    url = f"/units/{merged.N.pk}/reports/"
    page = client.post(url, {"form": "report", "year": "2024", "template": shipped.pk})
    assert page.status_code == 200 and FOUNDED in page.context["form"].errors["year"][0]
    page = client.post(url, {"form": "report", "start": "2024-07-01", "end": "2025-06-30", "template": shipped.pk})
    assert page.status_code == 200 and FOUNDED in page.context["form"].errors["end"][0]
    assert "year" not in page.context["form"].errors
    assert FOUNDED in page.content.decode()
    assert not Report.objects.exists()


def test_a_period_the_founding_falls_in_is_accepted_and_says_so(client, merged, django_capture_on_commit_callbacks):
    client.force_login(merged.users["tinh"])
    # the founding day itself may end a period
    assert _create(client, merged.N, "2025-01-01", "2025-07-01", django_capture_on_commit_callbacks).status_code == 201
    answer = _create(client, merged.N, "2025-01-01", "2025-12-31", django_capture_on_commit_callbacks)
    assert answer.status_code == 201
    run_worker()
    report = Report.objects.get(pk=answer.json()["id"])
    assert report.status == Report.Status.DRAFT, report.error
    text = "\n".join(s["text"] for s in report.sections)
    # 3 + 1 members of G's cells, 1 of H's, the two admitted in 2025: all under N at the end of 2025
    assert "Đến ngày 31/12/2025, Đảng bộ xã Hùng Phú (thành lập ngày 01/07/2025) có 7 đảng viên" in text
    # only what happened under N: the September admission, not March's (A stood under G then)
    assert "kết nạp 1 đảng viên mới" in text
    # nothing to compare with: N has no 2024
    assert "so với kỳ trước" not in text
    table = next(s for s in report.sections if s["kind"] == "table")
    rows = appendix_rows(report, table["measures"])
    own = rows[2]
    assert own[0] == "Toàn Đảng bộ xã Hùng Phú" and own[1::2] == ["–"] * len(table["measures"])
    assert report.values["new_units"] == [merged.N.path]


def test_the_merged_communes_keep_their_past_reports(client, merged, django_capture_on_commit_callbacks):
    """G's years before the merger are reported by the committee above it (its subtree still
    holds G); N's own officers read them (G is N's predecessor) but write only N's."""
    client.force_login(merged.users["tinh"])
    for year in (2024, 2025):
        answer = _create(client, merged.G, f"{year}-01-01", f"{year}-12-31", django_capture_on_commit_callbacks)
        assert answer.status_code == 201
        run_worker()
        report = Report.objects.get(pk=answer.json()["id"])
        assert report.status == Report.Status.DRAFT, report.error
        text = "\n".join(s["text"] for s in report.sections)
        if year == 2024:
            assert "Đến ngày 31/12/2024, Đảng bộ xã Hùng An có 4 đảng viên" in text
            assert "(thành lập" not in text
        else:  # until its last day, 30/6/2025: the March admission is G's
            assert "kết nạp 1 đảng viên mới" in text
    client.force_login(merged.users["xa"])
    assert client.get(f"/api/reports/{report.pk}").status_code == 200
    assert client.post(f"/api/units/{merged.G.pk}/reports", {"from": "2024-01-01", "to": "2024-12-31"},
                       content_type="application/json").status_code == 403
