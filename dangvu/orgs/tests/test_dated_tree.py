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
from dangvu.figures.tests.scenario import record_cell_books, record_year
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
                                     for path, v in m.compute(measures.Query(root, H1_2026)).items()}
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
def recorded(org, settings):
    settings.EVALUATION_COUNTED_KINDS = ("year", "quarter")  # the scenario's round is of the second quarter
    year = record_cell_books(record_year(org))
    year.roots = [year.P, year.G, year.A, year.H]
    year.before = _figures(year.roots)
    return year


# no shrinking: a failure names its steps, and the suite stays short
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(steps=st.lists(st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(0, 20), st.integers(0, 20),
                                st.integers(0, 20)), min_size=1, max_size=8))
def test_no_reorganisation_after_a_period_changes_its_figures(recorded, steps, django_capture_on_commit_callbacks):
    try:
        with transaction.atomic():
            # what runs once a change is committed runs too (open evaluation rounds re-list their subjects)
            with django_capture_on_commit_callbacks(execute=True):
                for n, (name, i, j, k) in enumerate(steps):
                    OPERATIONS[name](FIRST_DAY + datetime.timedelta(days=14 * n), i, j, k)
            assert _figures(recorded.roots) == recorded.before, steps
            raise _Undo
    except _Undo:
        pass


# The cells' books the property keeps: counted here from their rows alone, as the scenario wrote
# them (scenario.record_cell_books), so that it shows more than zero staying zero.
BOOKS = {
    "meetings.regular": {"A": 1, "B": 1, "C": 1, "G": 2, "H": 1, "P": 3},
    "meetings.thematic": {"A": 1, "B": 0, "C": 0, "G": 1, "H": 0, "P": 1},
    "meetings.quality_met": {"A": 0, "B": 1, "C": 0, "G": 1, "H": 0, "P": 1},
    "meetings.attendance": {"A": (4, 6), "B": (2, 2), "C": (1, 1), "G": (6, 8), "H": (1, 1), "P": (7, 9)},
    "meetings.absent_unexcused": {"A": 1, "B": 0, "C": 0, "G": 1, "H": 0, "P": 1},
    "dues.collected": {"A": 150_000, "B": 40_000, "C": 0, "G": 190_000, "H": 0, "P": 190_000},
    "dues.remitted": {"A": 50_000, "B": 0, "C": 0, "G": 50_000, "H": 0, "P": 50_000},
    # A: mem (March on), x (since February), z (moved in from C, which keeps no dues book);
    # B: other, f (March on), y (since May); out paid the half
    "dues.members_in_arrears": {"A": 3, "B": 3, "C": 0, "G": 6, "H": 0, "P": 6},
    "evaluation.members_rated": {"A": 2, "B": 0, "C": 0, "G": 2, "H": 0, "P": 2},
    "evaluation.members_good": {"A": 1, "B": 0, "C": 0, "G": 1, "H": 0, "P": 1},
    "evaluation.members_done": {"A": 1, "B": 0, "C": 0, "G": 1, "H": 0, "P": 1},
    "evaluation.members_not_rated": {"A": 1, "B": 1, "C": 0, "G": 2, "H": 0, "P": 2},
    "evaluation.units_rated": {"A": 1, "B": 0, "C": 0, "G": 1, "H": 0, "P": 1},
    "evaluation.units_good": {"A": 1, "B": 0, "C": 0, "G": 1, "H": 0, "P": 1},
    "inspections.held": {"A": 1, "B": 0, "C": 0, "G": 2, "H": 0, "P": 2},  # A's of mem, G's of B
    "inspections.supervisions": {"A": 0, "B": 1, "C": 0, "G": 1, "H": 0, "P": 1},  # B's of f (A's of x ends in August)
}
# the measures of these areas that no row of the period reaches: for them the property shows only
# that zero stays zero (the other levels of a rating share their code with those counted)
AREAS = {"meetings", "evaluation", "inspections"}
ZERO_EVERYWHERE = {
    "evaluation.members_excellent", "evaluation.members_not_done", "evaluation.units_done",
    "evaluation.units_excellent", "evaluation.units_not_done", "inspections.held_by_cells_with_committee",
    "inspections.held_by_committees", "inspections.recommendations_done", "inspections.recommendations_overdue",
    "inspections.units_supervised",
}


def _subtrees(o) -> dict[str, list]:
    """The units at and under each unit through the period (no unit moved before 2/7/2026)."""
    return {"A": [o.A], "B": [o.B], "C": [o.C], "G": [o.G, o.A, o.B], "H": [o.H, o.C],
            "P": [o.P, o.G, o.H, o.A, o.B, o.C]}


def _owing(units, start: datetime.date, end: datetime.date) -> int:
    """Members of these units on `end`, in a cell with a payment for a month of the period, with
    a month they belonged on its first day and did not pay for (none is exempted here)."""
    from dangvu.meetings.models import DuesPayment
    from dangvu.orgs.models import Exemption

    assert not Exemption.objects.exists()
    months = [D(start.year, m, 1) for m in range(start.month, end.month + 1)]
    keeping = set(DuesPayment.objects.filter(month__in=months).values_list("unit_id", flat=True))
    members = set(MemberSpan.objects.filter(unit__in=[u for u in units if u.pk in keeping],
                                            status__in=ACTIVE_STATUSES, start__lte=end)
                  .exclude(end__lte=end).values_list("member_id", flat=True))
    owing = 0
    for member in members:
        spans = list(MemberSpan.objects.filter(member_id=member, status__in=ACTIVE_STATUSES).values_list("start", "end"))
        paid = set(DuesPayment.objects.filter(member_id=member).values_list("month", flat=True))
        owing += any(m not in paid and any(s <= m and (e is None or e > m) for s, e in spans) for m in months)
    return owing


def _books_counted_directly(o, period: Period) -> dict:
    from django.db.models import Sum

    from dangvu.evaluation.models import Rating
    from dangvu.inspections.models import Inspection
    from dangvu.meetings.models import Attendance, DuesPayment, DuesRemittance, Meeting

    out = {key: {} for key in BOOKS}
    for code, units in _subtrees(o).items():
        held = Meeting.objects.filter(unit__in=units, status="held", date__gte=period.start, date__lte=period.end)
        marks = Attendance.objects.filter(meeting__in=held)
        required = marks.filter(required=True)
        ratings = Rating.objects.filter(unit__in=units, round__end__gte=period.start, round__end__lte=period.end)
        inspections = Inspection.objects.filter(unit__in=units, end__gte=period.start, end__lte=period.end)
        decided = ratings.filter(stage="decided")
        counted = {
            "meetings.regular": held.filter(kind="regular").count(),
            "meetings.thematic": held.filter(kind="thematic").count(),
            "meetings.quality_met": held.filter(quality_met=True).count(),
            "meetings.attendance": (required.filter(mark__in=["present", "late"]).count(), required.count()),
            "meetings.absent_unexcused": marks.filter(mark="absent").count(),
            "dues.collected": DuesPayment.objects.filter(unit__in=units, paid_on__gte=period.start,
                                                         paid_on__lte=period.end).aggregate(s=Sum("amount"))["s"] or 0,
            "dues.remitted": DuesRemittance.objects.filter(unit__in=units, remitted_on__gte=period.start,
                                                           remitted_on__lte=period.end)
            .aggregate(s=Sum("amount"))["s"] or 0,
            "dues.members_in_arrears": _owing(units, period.start, period.end),
            "evaluation.members_rated": decided.filter(member__isnull=False).count(),
            "evaluation.members_good": decided.filter(member__isnull=False, level="good").count(),
            "evaluation.members_done": decided.filter(member__isnull=False, level="done").count(),
            "evaluation.members_not_rated": ratings.filter(member__isnull=False, stage="not_rated").count(),
            "evaluation.units_rated": decided.filter(subject_unit__isnull=False).count(),
            "evaluation.units_good": decided.filter(subject_unit__isnull=False, level="good").count(),
            "inspections.held": inspections.filter(kind="inspection").count(),
            "inspections.supervisions": inspections.filter(kind="supervision").count(),
        }
        for key, value in counted.items():
            out[key][code] = value
    return out


def test_the_period_the_property_keeps_holds_meetings_dues_and_ratings_at_a_cell_and_its_commune(recorded):
    """Before any reorganisation: the meetings, dues and ratings of the period, counted from
    their rows, are what the scenario wrote, not zero at a cell and at its commune, and what
    every measure gives at every unit, read from each root above it."""
    assert _books_counted_directly(recorded, H1_2026) == BOOKS
    for key, by_code in BOOKS.items():
        assert any(by_code[cell] and by_code[commune] for cell, commune in (("A", "G"), ("B", "G"), ("C", "H"))), key
        for code, expected in by_code.items():
            unit = getattr(recorded, code)
            for root in recorded.roots:
                if not unit.path.startswith(root.path):
                    continue
                value, numerator, denominator = recorded.before[(root.pk, key)].get(unit.pk, (0, 0, 0))
                got = (numerator or 0, denominator or 0) if isinstance(expected, tuple) else value
                assert got == expected, (key, code, root.code)
    reached = {key for (_root, key), values in recorded.before.items() if any(v[0] for v in values.values())}
    zero = {m.key for m in measures.all_measures() if m.area in AREAS} - reached
    assert zero == ZERO_EVERYWHERE, f"never reached by the scenario: {sorted(zero)}"


def test_a_merged_units_history_is_read_by_those_who_hold_its_successor(org, client):
    from django.contrib.auth import get_user_model

    from dangvu.accounts.models import Team
    from dangvu.lib.keys import FULL_KEYS

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


def test_the_unit_page_counts_today_by_the_tree_of_today_after_a_reorganisation(org):
    """The unit page reads members.total (the dashboard's measure) for today: after a cell moved
    and a member died, at the province, the communes and the cells, it says what a plain count
    of today's members by today's tree says."""
    from dangvu.orgs.selectors import unit_overview

    g2 = _unit(org.P, "Đảng bộ xã Hai", "G2", UnitKind.GRASSROOTS)
    make_member(_unit(g2, "Chi bộ thôn Ba", "C3", UnitKind.CELL), "Vàng Thị Mai", D(1979, 3, 3))
    services.unit_move(actor=None, unit=org.B, parent=g2, on_date=D(2026, 7, 1))
    services.member_leave(actor=None, member=org.other_member, reason="died", on_date=D(2026, 8, 1))
    counted = {}
    for unit in OrgUnit.objects.filter(kind__in=[UnitKind.PROVINCE, UnitKind.GRASSROOTS]):
        overview = unit_overview(unit)
        for shown, counts in [(unit, overview["counts"]), *overview["children"]]:
            direct = Member.objects.filter(unit__path__startswith=shown.path, status__in=ACTIVE_STATUSES).count()
            counted[shown.code] = (counts.total, direct)
    assert counted == {"P": (4, 4), "G": (2, 2), "A": (2, 2), "B": (1, 1), "G2": (2, 2), "C3": (1, 1)}
