"""The dated tree: a merge, split or move never changes the figures of a period before it.

The regression of issue 22 (commune X1 with a cell of 3 members, merged with X2 on 1/7/2025:
X1's members as of 31/12/2024 fell from 3 to 0, the new commune showed 3), the property that
no reorganisation after a period changes any registered measure of that period at any unit
that existed then, and the database's guards on placements and stretches.
"""

import datetime
import itertools

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import make_member
from dangvu.figures.tests.scenario import record_year
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.orgs import services
from dangvu.orgs.models import ACTIVE_STATUSES, Member, MemberSpan, OrgUnit, UnitKind, UnitPlacement
from dangvu.orgs.placements import EARLIEST

D = datetime.date
Y2024 = Period.year(2024)
FOUNDED = D(2015, 1, 1)


def _unit(parent, name, code, kind, founded=FOUNDED):
    return services.unit_create(actor=None, parent=parent, name=name, code=code, kind=kind, valid_from=founded)


def _total(root, unit, period):
    """members.total of `unit` read from the table of `root`, through the kept-figures path."""
    table = measures.compute_all(OrgUnit.objects.get(pk=root.pk), period, [measures.get("members.total")])
    return measures.value_at(table["members.total"], OrgUnit.objects.get(pk=unit.pk).path,
                             measures.get("members.total")).value


def _spans_on(units, day):
    """Members of these cells on `day`, counted from the stretches directly."""
    return MemberSpan.objects.filter(unit__in=units, start__lte=day).exclude(end__lte=day).count()


def test_a_2025_merge_keeps_2024_figures_of_the_old_communes_and_leaves_the_new_one_empty(db):
    province = _unit(None, "Đảng bộ tỉnh Thử", "P", UnitKind.PROVINCE)
    x1 = _unit(province, "Đảng bộ xã X1", "X1", UnitKind.GRASSROOTS)
    x2 = _unit(province, "Đảng bộ xã X2", "X2", UnitKind.GRASSROOTS)
    c1 = _unit(x1, "Chi bộ thôn Một", "C1", UnitKind.CELL)
    c2 = _unit(x2, "Chi bộ thôn Hai", "C2", UnitKind.CELL)
    for i, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]):
        make_member(c1, name, D(1980 + i, 1, 1))
    make_member(c2, "Phạm Thị Dung", D(1985, 2, 2))
    before = {u.code: _total(province, u, Y2024) for u in (province, x1, x2, c1, c2)}
    assert before == {"P": 4, "X1": 3, "X2": 1, "C1": 3, "C2": 1}
    assert before["X1"] == _spans_on([c1], Y2024.end)

    new = services.unit_merge(actor=None, units=[x1, x2], name="Đảng bộ xã X", code="X", on_date=D(2025, 7, 1))

    c1.refresh_from_db()
    assert c1.path.startswith(new.path)  # today the cell is under the new commune
    for root in (province, x1, c1):  # read from the province, from the closed commune, from the cell
        assert _total(root, x1 if root != c1 else c1, Y2024) == 3
    assert _total(province, x1, Y2024) == _spans_on([c1], Y2024.end)
    assert _total(province, new, Y2024) == 0
    assert _total(new, new, Y2024) == 0
    assert _total(province, province, Y2024) == 4
    assert _total(new, new, Period.year(2025)) == 4 == _spans_on([c1, c2], D(2025, 12, 31))
    assert _total(x1, x1, Period.year(2025)) == 0  # closed on 30/6/2025: nobody on 31/12


def test_a_moved_path_is_never_given_to_another_unit(db):
    province = _unit(None, "Đảng bộ tỉnh Thử", "P", UnitKind.PROVINCE)
    g1 = _unit(province, "Đảng bộ xã Một", "G1", UnitKind.GRASSROOTS)
    g2 = _unit(province, "Đảng bộ xã Hai", "G2", UnitKind.GRASSROOTS)
    cell = _unit(g1, "Chi bộ thôn Cũ", "A", UnitKind.CELL)
    old_path = cell.path
    services.unit_move(actor=None, unit=cell, parent=g2, on_date=D(2025, 7, 1))
    newcomer = _unit(g1, "Chi bộ thôn Mới", "B", UnitKind.CELL, founded=D(2025, 8, 1))
    assert newcomer.path != old_path
    assert sorted(UnitPlacement.objects.filter(unit=cell).values_list("path", "start", "end")) == [
        (old_path, EARLIEST, D(2025, 7, 1)), (OrgUnit.objects.get(pk=cell.pk).path, D(2025, 7, 1), None)]


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_overlapping_placements_and_stretches(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitPlacement.objects.create(unit=org.A, path=org.A.path + "ZZZZ", kind=org.A.kind, start=D(2021, 1, 1),
                                     end=D(2022, 1, 1))
    span = MemberSpan.objects.filter(member=org.mem_member).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberSpan.objects.create(member=org.mem_member, unit=org.B, status=span.status, start=span.start,
                                  end=span.start + datetime.timedelta(days=30), start_change="transfer")
    assert UnitPlacement.objects.filter(unit=org.A).count() == 1


# --- the property ------------------------------------------------------------------------------

H1_2026 = Period(D(2026, 1, 1), D(2026, 6, 30))  # the scenario's campaign, essays, inspections, moves
FIRST_DAY = D(2026, 7, 2)  # reorganisations come after the period, two weeks apart, none after today


def _figures(roots) -> dict:
    """Every registered measure of the period, from each root, by unit id (paths change)."""
    ids = dict(OrgUnit.objects.values_list("path", "pk"))
    out = {}
    for root in roots:
        root = OrgUnit.objects.get(pk=root.pk)
        for m in measures.all_measures():
            out[(root.pk, m.key)] = {ids[path]: (v.value, v.numerator, v.denominator)
                                     for path, v in m.compute(root, H1_2026).items()}
    return out


def _open(**filters):
    return list(OrgUnit.objects.filter(valid_to__isnull=True, **filters).order_by("path"))


_codes = itertools.count()


def _pick(items, i):
    return items[i % len(items)] if items else None


def _merge(day, i, j, _k):
    groups = {}
    for unit in _open(kind__in=[UnitKind.GRASSROOTS, UnitKind.CELL]):
        groups.setdefault((unit.path[:-4], unit.kind), []).append(unit)
    pairs = [units for units in groups.values() if len(units) >= 2]
    units = _pick(pairs, i)
    if units:
        first, second = units[j % len(units)], units[(j + 1) % len(units)]
        services.unit_merge(actor=None, units=[first, second], name=f"Hợp nhất {next(_codes)}",
                            code=f"M{next(_codes)}", on_date=day)


def _split(day, i, j, _k):
    unit = _pick(_open(kind__in=[UnitKind.GRASSROOTS, UnitKind.CELL]), i)
    if unit is None:
        return
    members = list(Member.objects.filter(unit=unit, status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    children = list(OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1, valid_to__isnull=True)
                    .values_list("pk", flat=True))
    parts = [services.SplitPart(name=f"Tách {next(_codes)}", code=f"S{next(_codes)}") for _ in range(2)]
    for n, pk in enumerate(members):
        parts[(n + j) % 2].member_ids.append(pk)
    for n, pk in enumerate(children):
        parts[(n + j) % 2].child_ids.append(pk)
    services.unit_split(actor=None, unit=unit, parts=parts, on_date=day)


def _move(day, i, j, _k):
    cell = _pick(_open(kind=UnitKind.CELL), i)
    if cell is None:
        return
    parents = [u for u in _open(kind=UnitKind.GRASSROOTS) if u.path != cell.path[:-4]]
    parent = _pick(parents, j)
    if parent is not None:
        services.unit_move(actor=None, unit=cell, parent=parent, on_date=day)


def _active(i):
    return _pick(list(Member.objects.filter(status__in=ACTIVE_STATUSES).order_by("pk")), i)


def _transfer(day, i, j, _k):
    member = _active(i)
    cells = [c for c in _open(kind=UnitKind.CELL) if member and c.pk != member.unit_id]
    if member and cells:
        services.member_transfer(actor=None, member=member, to_unit=_pick(cells, j), on_date=day)


def _death(day, i, _j, _k):
    member = _active(i)
    if member:
        services.member_leave(actor=None, member=member, reason="died", on_date=day)


OPERATIONS = {"merge": _merge, "split": _split, "move": _move, "transfer": _transfer, "death": _death}


class _Undo(Exception):
    pass


@pytest.fixture
def recorded(org):
    year = record_year(org)
    year.roots = [year.P, year.G, year.A, year.H]
    year.before = _figures(year.roots)
    return year


# no shrinking: a failure names its steps, and the suite stays short
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(steps=st.lists(st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(0, 20), st.integers(0, 20),
                                st.integers(0, 20)), min_size=1, max_size=8))
def test_no_reorganisation_after_a_period_changes_its_figures(recorded, steps):
    try:
        with transaction.atomic():
            for n, (name, i, j, k) in enumerate(steps):
                OPERATIONS[name](FIRST_DAY + datetime.timedelta(days=14 * n), i, j, k)
            assert _figures(recorded.roots) == recorded.before, steps
            raise _Undo
    except _Undo:
        pass


def test_a_merged_units_history_is_read_by_those_who_hold_its_successor(org, client):
    from django.contrib.auth import get_user_model

    from dangvu.accounts.models import Team
    from dangvu.accounts.permissions import FULL_KEYS

    merged = services.unit_merge(actor=None, units=[org.A, org.B], name="Chi bộ thôn Nà Ngoa - Bản Mới", code="AB",
                                 on_date=D(2026, 7, 1))
    officer = get_user_model().objects.create_user(username="newcell", password="x")
    Team.objects.create(name="Chi ủy", unit=merged, permissions=sorted(FULL_KEYS)).users.add(officer)
    client.force_login(officer)
    page = client.get(f"/units/{org.A.pk}/")
    assert page.status_code == 200 and "Chi bộ thôn Nà Ngoa" in page.content.decode()
    figures = client.get(f"/units/{org.A.pk}/figures/?year=2025")
    assert figures.status_code == 200
    assert client.get(f"/api/units/{org.A.pk}/figures?from=2025-01-01&to=2025-12-31").json()[
        "figures"]["members.total"]["value"] == 3  # sec, mem, other: A on 31/12/2025
    body = {"full_name": "Đỗ Thị Giang", "date_of_birth": "1992-04-05", "sex": "nu", "admission_date": "2015-06-07"}
    assert client.post(f"/api/units/{org.A.pk}/members", body, content_type="application/json").status_code == 403
    assert client.get(f"/units/{org.G.pk}/").status_code == 404  # the commune above stays out of reach


def test_a_reorganisation_dated_before_the_last_one_is_refused(org):
    from django.core.exceptions import ValidationError

    g2 = _unit(org.P, "Đảng bộ xã Hai", "G2", UnitKind.GRASSROOTS)
    services.unit_move(actor=None, unit=org.A, parent=g2, on_date=D(2026, 7, 1))
    with pytest.raises(ValidationError) as refused:
        services.unit_move(actor=None, unit=OrgUnit.objects.get(pk=org.A.pk), parent=org.G, on_date=D(2026, 3, 1))
    assert list(refused.value.message_dict) == ["date"]
    with pytest.raises(ValidationError):
        services.unit_merge(actor=None, units=[OrgUnit.objects.get(pk=org.A.pk), org.B], name="Chi bộ gộp",
                            code="AB", on_date=D(2026, 5, 1))
    assert UnitPlacement.objects.filter(unit=org.A).count() == 2


def test_the_unit_pages_roll_up_agrees_with_members_total_today_after_a_reorganisation(org):
    """orgs.selectors.member_rollup (the unit page, fast) and the measure members.total (the
    dashboard) say the same of today, at the province, the communes and the cells."""
    from django.utils import timezone

    from dangvu.orgs.selectors import member_rollup

    g2 = _unit(org.P, "Đảng bộ xã Hai", "G2", UnitKind.GRASSROOTS)
    make_member(_unit(g2, "Chi bộ thôn Ba", "C3", UnitKind.CELL), "Vàng Thị Mai", D(1979, 3, 3))
    services.unit_move(actor=None, unit=org.B, parent=g2, on_date=D(2026, 7, 1))
    services.member_leave(actor=None, member=org.other_member, reason="died", on_date=D(2026, 8, 1))
    today = timezone.localdate()
    rollup = member_rollup(OrgUnit.objects.get(pk=org.P.pk))
    measure = measures.get("members.total")
    table = measures.compute_all(OrgUnit.objects.get(pk=org.P.pk), Period(today, today), [measure])[measure.key]
    counted = {}
    for unit in OrgUnit.objects.all():
        counts = rollup.get(unit.path)
        counted[unit.code] = (counts.total if counts else 0, measures.value_at(table, unit.path, measure).value)
    assert counted == {"P": (4, 4), "G": (2, 2), "A": (2, 2), "B": (1, 1), "G2": (2, 2), "C3": (1, 1)}
