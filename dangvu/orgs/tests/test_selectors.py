import datetime

from django.urls import reverse

from conftest import make_member
from dangvu.lib.numbers import fmt_int
from dangvu.orgs import services
from dangvu.orgs.demo import build_demo
from dangvu.orgs.models import (
    ACTIVE_STATUSES,
    Candidate,
    Member,
    MemberSpan,
    MemberStatus,
    OrgUnit,
    Term,
    UnitKind,
    UnitRole,
)
from dangvu.orgs.selectors import member_search, unit_overview


def test_unit_page_and_api_counts_match_members_counted_directly(client, db):
    """The unit page and the unit API read members.total, .full and .probationary (the measure
    layer): at a cell, a commune and the province, for the unit and each sub-unit, they equal
    the active members of the subtree counted with a plain query."""
    from django.contrib.auth import get_user_model

    from dangvu.accounts.models import Team
    from dangvu.lib.keys import READ_KEYS

    build_demo(members=900, seed=7, progress=False)
    province = OrgUnit.objects.get(kind=UnitKind.PROVINCE)
    commune = OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS).order_by("path").first()
    cell = OrgUnit.objects.filter(kind=UnitKind.CELL, path__startswith=commune.path).order_by("path").first()
    user = get_user_model().objects.create_user(username="tinh", password="x-tinh")
    Team.objects.create(name="Văn phòng tỉnh", unit=province, permissions=sorted(READ_KEYS)).users.add(user)
    client.force_login(user)

    def direct(unit) -> tuple[int, int, int]:
        members = Member.objects.filter(unit__path__startswith=unit.path, status__in=ACTIVE_STATUSES)
        return (members.count(), members.filter(status=MemberStatus.FULL).count(),
                members.filter(status=MemberStatus.PROBATIONARY).count())

    for unit in (cell, commune, province):
        overview = unit_overview(unit)
        shown = {unit.code: (overview["counts"].total, overview["counts"].full, overview["counts"].probationary)}
        shown |= {child.code: (c.total, c.full, c.probationary) for child, c in overview["children"]}
        answered = [client.get(f"/api/units/{unit.pk}").json(), *client.get(f"/api/units/{unit.pk}/children").json()]
        assert {a["code"]: (a["member_count"], a["full_count"], a["probationary_count"]) for a in answered} == shown
        expected = {u.code: direct(u) for u in [unit, *OrgUnit.objects.get_children(unit)]}
        assert shown == expected, unit.name
        assert expected[unit.code][0] > 0
        page = client.get(reverse("orgs:unit", args=[unit.pk])).content.decode()
        assert f'id="count-total">{fmt_int(expected[unit.code][0])}<' in page
    assert direct(province)[2] > 0  # probationary members are among them


def _wipe_demo():
    for model in (MemberSpan, UnitRole, Candidate, Term, Member):
        model.objects.all().delete()
    OrgUnit.objects.all().delete()


def test_demo_is_deterministic_and_realistic(db):
    build_demo(members=3000, seed=3, progress=False)
    first = list(Member.objects.order_by("id").values_list("full_name", "date_of_birth", "unit__code"))
    assert len(first) == 3000 and all(len(name.split()) >= 3 for name, _d, _u in first)
    assert OrgUnit.objects.filter(kind=UnitKind.CELL).count() == 300
    assert OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS).count() == 40
    assert OrgUnit.objects.filter(kind=UnitKind.CELL, has_committee=True).exists()
    assert Candidate.objects.exists() and UnitRole.objects.filter(role="bi_thu").count() >= 290
    _wipe_demo()
    build_demo(members=3000, seed=3, progress=False)
    again = list(Member.objects.order_by("id").values_list("full_name", "date_of_birth", "unit__code"))
    assert again == first


def test_unit_page_query_count_does_not_grow_with_units(client, org):
    client.force_login(org.users["off"])

    def queries_for_page():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("orgs:unit", args=[org.G.pk])).status_code == 200
        return len(ctx.captured_queries)

    few = queries_for_page()
    for i in range(30):
        cell = services.unit_create(actor=None, parent=org.G, name=f"Chi bộ số {i}", code=f"N{i}", kind=UnitKind.CELL)
        make_member(cell, f"Nguyễn Văn Số{i}", datetime.date(1980, 1, 1) + datetime.timedelta(days=i))
    assert queries_for_page() == few


def test_search_is_accent_and_case_insensitive_and_sorts_the_vietnamese_way(org):
    for name in ["Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Hòa", "Đỗ Văn Đức", "Lê Văn Bình"]:
        make_member(org.B, name, datetime.date(1985, 1, 1) + datetime.timedelta(days=len(name)))
    qs = Member.objects.filter(unit=org.B)
    assert [m.full_name for m in member_search(qs, "nguyen van an")] == ["Nguyễn Văn An"]
    for query in ("hoà", "hòa", "Hoa\u0300", "thi hoa"):
        assert "Lê Thị Hòa" in [m.full_name for m in member_search(qs, query)], query
    assert [m.full_name for m in member_search(qs, "an")] == ["Nguyễn Văn An"]  # word starts, not "Hoàng"
    assert [m.full_name for m in member_search(qs, "DUC")] == ["Đỗ Văn Đức"]
    nfd = "Nguye\u0302\u0303n"
    assert [m.full_name for m in member_search(qs, nfd)] == ["Nguyễn Văn An"]
    ordered = [m.full_name for m in member_search(qs, "")]
    assert ordered == ["Nguyễn Văn An", "Lê Văn Bình", "Trần Thị Bình", "Đỗ Văn Đức", "Hoàng Văn Em", "Lê Thị Hòa"]


def test_candidate_list_shows_the_subtree_sorted_and_searchable(client, org):
    for name, unit in (("Vũ Thị Yến", org.A), ("Bế Văn An", org.A), ("Lò Văn Bình", org.B)):
        services.candidate_create(actor=None, unit=unit, full_name=name, date_of_birth=datetime.date(2000, 1, 1),
                                  sex="nu")
    client.force_login(org.users["off"])
    page = client.get(reverse("orgs:unit_candidates", args=[org.G.pk])).content.decode()
    assert page.index("Bế Văn An") < page.index("Lò Văn Bình") < page.index("Vũ Thị Yến")
    page = client.get(reverse("orgs:unit_candidates", args=[org.A.pk]), {"q": "yen"}).content.decode()
    assert "Vũ Thị Yến" in page and "Bế Văn An" not in page
