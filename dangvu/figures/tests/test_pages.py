"""Roll-up pages cost a fixed number of queries, whatever the number of units and campaigns;
the campaign list agrees with each campaign's own figures."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_member
from dangvu.essays import services as essay_services
from dangvu.orgs import services as org_services
from dangvu.orgs.models import UnitKind
from dangvu.study import services as study
from dangvu.study.selectors import campaign_figures, campaign_list_figures

D = datetime.date
TODAY = datetime.date.today()


def _campaign(unit, n, units=None):
    return study.campaign_create(actor=None, unit=unit, title=f"Chuyên đề {n}", documents=[], units=units or [unit],
                                 start=TODAY - datetime.timedelta(days=40 + n), end=TODAY - datetime.timedelta(days=n),
                                 essay_required=True, essay_deadline=TODAY - datetime.timedelta(days=n))


def _grow(org, n):
    for i in range(n):
        cell = org_services.unit_create(actor=None, parent=org.G, name=f"Chi bộ mới {n}-{i}", code=f"N{n}-{i}",
                                        kind=UnitKind.CELL, valid_from=D(2020, 1, 1))
        member = make_member(cell, f"Đảng viên Mới {n}{i}", D(1985, 1, 1))
        campaign = _campaign(org.G, 10 * n + i)
        essay_services.essay_submit(actor=None, campaign=campaign, member=member, text="Bài viết của tôi.",
                           today=campaign.start)


@pytest.mark.parametrize("url", ["/units/{G}/figures/", "/units/{G}/campaigns/", "/campaigns/{C}/",
                                 "/api/units/{G}/figures", "/api/units/{G}/study-summary?year={Y}"])
def test_roll_up_pages_cost_the_same_queries_as_the_tree_grows(client, org, url):
    first = _campaign(org.G, 0)
    client.force_login(org.users["off"])
    target = url.format(G=org.G.pk, C=first.pk, Y=TODAY.year)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(target).status_code == 200
        return len(captured)

    queries()  # warm: sessions, programmes
    before = queries()
    _grow(org, 3)
    assert queries() == before


def test_the_campaign_list_agrees_with_each_campaign(org):
    a = _campaign(org.G, 1)
    b = _campaign(org.A, 2)  # organised by a cell: the commune's list shows the whole of it
    for m in (org.mem_member, org.other_member):
        essay_services.essay_submit(actor=None, campaign=a, member=m, text="Bài thu hoạch.", today=a.start)
    essay_services.essay_submit(actor=None, campaign=b, member=org.sec_member, text="Bài thu hoạch.", today=b.start)
    listed = dict(campaign_list_figures([a, b], org.G))
    assert listed[a] == campaign_figures(a, org.G)
    assert listed[b] == campaign_figures(b, org.A)
    assert (listed[a].eligible, listed[a].submitted, listed[b].eligible, listed[b].submitted) == (4, 2, 3, 1)


@pytest.mark.parametrize("url", ["/units/{G}/figures/", "/units/{G}/campaigns/", "/units/{G}/inspections/"])
@pytest.mark.parametrize("asked", ["abc", "99999", "-5"])
def test_a_year_that_cannot_be_is_named_and_this_year_shown(client, org, url, asked):
    """Every page that takes ?year= reads it one way: it says what was asked and shows a year."""
    client.force_login(org.users["off"])
    page = client.get(url.format(G=org.G.pk) + f"?year={asked}")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Năm {asked} không hợp lệ; đang hiển thị năm {TODAY.year}." in text


def test_every_figures_rows_download_as_xlsx_for_every_reader(client, org):
    """Each registered measure's rows as .xlsx, for the commune's officer and a cell secretary:
    a name with ':' once made the sheet refuse its title (issue 23: 17 downloads answered 500)."""
    import io

    from openpyxl import load_workbook

    from dangvu.lib import measures

    for user, unit in (("off", org.G), ("sec", org.A)):
        client.force_login(org.users[user])
        for m in measures.all_measures():
            answer = client.get(f"/units/{unit.pk}/figures/{m.key}/?year={TODAY.year}&format=xlsx")
            assert answer.status_code == 200, (user, m.key, answer.status_code)
            sheet = load_workbook(io.BytesIO(answer.content), read_only=True).worksheets[0]
            assert ":" not in sheet.title and len(sheet.title) <= 31, m.key


def test_a_member_id_reads_as_its_digits_not_as_a_quantity(client, org):
    """Ids above 999 were shown 1.536 on a rows page (issue 23)."""
    from dangvu.orgs.models import Member

    member = make_member(org.A, "Nguyễn Thị Mười", D(1990, 1, 1))
    Member.objects.filter(pk=member.pk).update(id=1536)
    from dangvu.orgs.models import MemberSpan

    MemberSpan.objects.filter(member_id=member.pk).update(member_id=1536)
    client.force_login(org.users["off"])
    page = client.get(f"/units/{org.G.pk}/figures/members.total/?year={TODAY.year}").content.decode()
    assert "<td>1536</td>" in page and "1.536" not in page


@pytest.mark.parametrize("query", ["to=0", "from=1&to=2026-12-31", "to=2026-12-31T00:00:00", "to=31/12/2026",
                                   "to=2026-02-30"])
def test_a_date_parameter_is_a_date_or_a_422_naming_it(client, org, query):
    """?to=0 was read as 1 January 1970 (issue 24)."""
    client.force_login(org.users["off"])
    answer = client.get(f"/api/units/{org.G.pk}/figures?{query}")
    assert answer.status_code == 422, (query, answer.status_code)
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields & {"from", "to", "date_from", "date_to"}, answer.json()


def test_a_date_in_a_body_is_a_date_or_a_422_naming_it(client, org):
    client.force_login(org.users["off"])
    answer = client.post(f"/api/members/{org.mem_member.pk}/full", {"date": 0}, content_type="application/json")
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "date"
    answer = client.post(f"/api/units/{org.G.pk}/reports", {"from": "0", "to": "2026-12-31"},
                         content_type="application/json")
    assert answer.status_code == 422 and "from" in {e["field"] for e in answer.json()["errors"]}
