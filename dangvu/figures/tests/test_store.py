"""Figures kept per unit and period (figures/store.py): counted once, counted again only where
and for when a service's change touches them, by the worker, and never shown older than the
change for longer than FIGURE_DELAY. Real commits: these tests run outside the test transaction."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from conftest import make_member, run_worker
from dangvu.figures.models import StoredFigure
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.orgs import services
from dangvu.orgs.models import MemberSpan, UnitKind

pytestmark = pytest.mark.django_db(transaction=True)

TOTAL = "members.total"
TODAY = timezone.localdate()
THIS_YEAR, LAST_YEAR = Period.year(TODAY.year), Period.year(TODAY.year - 1)


def total(unit, period=THIS_YEAR) -> int:
    return int(figures(unit, period)[TOTAL][unit.path].value)


def figures(unit, period=THIS_YEAR):
    return measures.compute_all(unit, period, [measures.get(TOTAL)], levels=0)


def counted(unit, period=THIS_YEAR) -> int:
    """Members with a stretch of membership in the unit's subtree open at the period's end."""
    return (MemberSpan.objects.filter(unit__path__startswith=unit.path, start__lte=period.end)
            .exclude(end__lte=period.end).values("member").distinct().count())


def counted_at(unit, period=THIS_YEAR) -> datetime.datetime:
    return StoredFigure.objects.get(name=TOTAL, unit=unit, period_end=period.end, recipe__levels=0).counted_at


@pytest.fixture
def second_commune(org):
    """A commune beside G, with a cell of one member: what G's changes must not touch."""
    org.G2 = services.unit_create(actor=None, parent=org.P, name="Đảng bộ xã Tân Lập", code="G2",
                                  kind=UnitKind.GRASSROOTS, valid_from=datetime.date(2020, 1, 1))
    org.C = services.unit_create(actor=None, parent=org.G2, name="Chi bộ thôn Khuổi Nằm", code="C",
                                 kind=UnitKind.CELL, valid_from=datetime.date(2020, 1, 1))
    make_member(org.C, "Vi Văn Hòa", datetime.date(1982, 3, 3))
    return org


def test_a_kept_figure_is_read_in_two_queries_while_nothing_changes(org, django_assert_num_queries):
    first = total(org.G)
    assert first == counted(org.G) == 4
    with django_assert_num_queries(2):  # the kept row, and the changes since its count (none)
        again = figures(org.G)
    assert again[TOTAL][org.G.path].value == first
    # nothing changed since its count: it is true now, and the page says so
    assert again.stamp.counted_at > counted_at(org.G) and not again.stamp.updating


def test_a_change_in_a_cell_is_counted_again_for_the_units_above_it_only(second_commune, settings):
    org = second_commune
    settings.FIGURE_DELAY = 3600  # the pages wait for the worker
    for unit in (org.P, org.G, org.A, org.B, org.G2, org.C):
        total(unit)
    before = {unit.code: counted_at(unit) for unit in (org.P, org.G, org.A, org.B, org.G2, org.C)}
    make_member(org.A, "Đỗ Văn Giang", datetime.date(1985, 4, 4))  # through a service: a change at A
    assert total(org.G) == 4  # the worker has not counted yet: the page shows what was kept…
    stamp = figures(org.G).stamp  # …says a change is being counted, and when the figures were counted
    assert stamp.updating and stamp.counted_at == before["G"]
    from dangvu.figures.recount import recount_touched

    assert recount_touched() == 3  # A, G and P: one measure each, this year
    after = {unit.code: counted_at(unit) for unit in (org.P, org.G, org.A, org.B, org.G2, org.C)}
    assert [code for code in before if after[code] != before[code]] == ["P", "G", "A"]
    # the others were not counted again: those far from the change (the other cell, the other
    # commune) lag behind until they are far behind, and are then told in one statement that
    # they have seen every change so far: the next look starts from there
    from dangvu.audit.models import AuditEntry
    from dangvu.figures import recount

    def seen_by_unit():
        return dict(StoredFigure.objects.values_list("unit__code", "seen"))

    newest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    before_change = seen_by_unit()["C"]
    assert seen_by_unit() == {"P": newest, "G": newest, "A": newest, "B": before_change, "G2": before_change,
                              "C": before_change}
    from dangvu.audit.services import audit_record

    for _n in range(recount.LAG + 1):  # entries that alter no figure: far behind now
        audit_record(actor=None, action="update", obj=org.A, unit_path=org.A.path, alters_figures=False)
    assert recount_touched() == 0
    newest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert set(seen_by_unit().values()) == {newest}
    for unit in (org.P, org.G, org.A, org.B, org.G2, org.C):
        assert total(unit) == counted(unit)
    assert (total(org.P), total(org.G), total(org.A), total(org.B), total(org.G2)) == (6, 5, 4, 1, 1)


def test_a_change_this_year_leaves_last_year_kept_and_a_late_fact_recounts_it(org, client):
    client.force_login(org.users["off"])
    last_years_page = f"/units/{org.G.pk}/figures/?year={LAST_YEAR.end.year}"
    assert 'id="recounted"' not in client.get(last_years_page).content.decode()
    assert total(org.G, LAST_YEAR) == counted(org.G, LAST_YEAR) == 4
    kept_at = counted_at(org.G, LAST_YEAR)
    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4), admission_date=TODAY, official_date=None)
    assert total(org.G, LAST_YEAR) == 4 and counted_at(org.G, LAST_YEAR) == kept_at  # not touched
    assert figures(org.G, LAST_YEAR).stamp.recounted_for is None
    written = timezone.now()
    make_member(org.B, "Bùi Thị Hạnh", datetime.date(1986, 6, 6),
                admission_date=LAST_YEAR.start + datetime.timedelta(days=40), official_date=None)
    assert total(org.G, LAST_YEAR) == counted(org.G, LAST_YEAR) == 5  # a fact dated last year arrived
    assert written <= figures(org.G, LAST_YEAR).stamp.recounted_for <= timezone.now()
    page = client.get(last_years_page).content.decode()
    assert 'id="recounted"' in page and "được tính lại" in page
    page = client.get(f"/units/{org.G.pk}/figures/?year={TODAY.year}").content.decode()
    assert 'id="recounted"' not in page and 'id="counted-at"' in page


def test_the_worker_counts_a_touched_figure_again_once(org, settings):
    settings.FIGURE_RECOUNT, settings.FIGURE_RECOUNT_AFTER, settings.FIGURE_DELAY = True, 0, 3600
    assert total(org.G) == 4
    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))
    make_member(org.B, "Bùi Thị Hạnh", datetime.date(1986, 6, 6))
    from dangvu.jobs.models import Job

    assert Job.objects.filter(kind="figures.recount", status=Job.Status.QUEUED).count() == 1  # one for both
    run_worker()
    assert Job.objects.get(kind="figures.recount").status == Job.Status.DONE
    table = figures(org.G)
    assert table[TOTAL][org.G.path].value == counted(org.G) == 6 and not table.stamp.updating


def test_past_the_delay_a_page_counts_for_itself(org, settings):
    settings.FIGURE_DELAY = 0  # the worker is behind
    assert total(org.G) == 4
    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))
    assert total(org.G) == counted(org.G) == 5


def test_a_figure_another_process_is_counting_is_shown_as_it_was(org, django_assert_num_queries):
    assert total(org.G) == 4
    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))
    StoredFigure.objects.update(counting_since=timezone.now())  # claimed by another request
    table = figures(org.G)
    assert table[TOTAL][org.G.path].value == 4 and table.stamp.updating
    StoredFigure.objects.update(counting_since=timezone.now() - datetime.timedelta(hours=1))  # it died
    assert total(org.G) == counted(org.G) == 5


def test_a_transaction_sees_its_own_writes_and_keeps_nothing(org):
    assert total(org.G) == 4
    kept_at = counted_at(org.G)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))
        assert total(org.G) == 5
        raise RuntimeError("rolled back")
    assert total(org.G) == counted(org.G) == 4 and counted_at(org.G) == kept_at


def test_a_merge_touches_every_kept_figure_and_the_past_stays(org):
    """The values are keyed by today's paths: after a merge every kept figure is counted again,
    and last year's come out the same at the closed communes and the province."""
    g2 = services.unit_create(actor=None, parent=org.P, name="Đảng bộ xã Tân Lập", code="G2",
                              kind=UnitKind.GRASSROOTS, valid_from=datetime.date(2020, 1, 1))
    before = {u.code: total(u, LAST_YEAR) for u in (org.P, org.G, org.A)}
    merged = services.unit_merge(actor=None, units=[org.G, g2], name="Đảng bộ xã Hùng Tân", code="GM",
                                 on_date=TODAY)
    org.G.refresh_from_db()
    org.A.refresh_from_db()
    after = {u.code: total(u, LAST_YEAR) for u in (org.P, org.G, org.A)}
    assert after == before == {"P": 4, "G": 4, "A": 3}
    assert figures(org.P, LAST_YEAR).stamp.recounted_for is None  # a reorganisation is no late fact
    assert total(merged) == counted(merged) == 4


def test_refresh_figures_forgets_what_was_kept(org):
    """A change made outside the services (psql, a restore) is unseen until the command runs."""
    assert total(org.G) == 4
    MemberSpan.objects.filter(unit=org.B).delete()  # no audit entry: as psql would
    assert total(org.G) == 4  # still the kept figure
    out = io.StringIO()
    call_command("refresh_figures", "--no-warm", stdout=out)
    assert re.search(r"Đã quên \d+ số liệu đã lưu", out.getvalue())
    assert total(org.G) == counted(org.G) == 3


def test_switched_off_it_always_counts(org, settings):
    settings.FIGURE_STORE = False
    assert total(org.G) == 4
    MemberSpan.objects.filter(unit=org.B).delete()
    assert total(org.G) == counted(org.G) == 3
    assert not StoredFigure.objects.exists()


def test_a_page_shows_a_mark_saved_on_another_page_at_once(org, client):
    """The officer's campaign page is kept; the cell secretary marks a member present; the
    officer's next look counts the mark (real commits, two users, FIGURE_DELAY 0)."""
    from dangvu.study import services as study

    campaign = study.campaign_create(actor=None, unit=org.G, title="Học tập Nghị quyết 66-NQ/TW", documents=[],
                                     units=[org.G], start=TODAY - datetime.timedelta(days=5),
                                     end=TODAY + datetime.timedelta(days=30), essay_required=False)
    session = study.session_record(actor=None, campaign=campaign, held_on=campaign.start)

    def attended() -> str:
        client.force_login(org.users["off"])
        page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
        return re.search(r'id="fig-attended">([^<]*)<', page).group(1)

    assert attended() == "0/4"
    assert attended() == "0/4"  # asked again: kept
    client.force_login(org.users["sec"])
    answer = client.post(f"/sessions/{session.pk}/", {f"m{org.mem_member.pk}": "present"})
    assert answer.status_code in (200, 302)
    assert attended() == "1/4"


@pytest.mark.parametrize("year_", [TODAY.year - 1, TODAY.year])
def test_kept_figures_equal_counted_ones_at_every_level_this_year_and_last(org, settings, year_):
    """Every registered measure, kept and then read back, equals the same measure counted with
    the store off: at a cell, the commune and the province, for the scenario's two years."""
    from dangvu.figures.tests.scenario import record_year

    record_year(org)
    period = Period.year(year_)
    for unit in (org.A, org.G, org.P):
        measures.compute_all(unit, period)  # counted and kept
        kept = measures.compute_all(unit, period)  # read back
        settings.FIGURE_STORE = False
        fresh = measures.compute_all(unit, period)
        settings.FIGURE_STORE = True
        for m in measures.all_measures():
            assert measures.value_at(kept[m.key], unit.path, m) == measures.value_at(fresh[m.key], unit.path, m), \
                (m.key, unit.name, year_)


def test_a_change_recounts_only_the_areas_its_rows_reach(org, settings):
    """A document issued at G alters the documents' figures, not the members'; a member's
    change alters every area (everything counts members)."""
    from dangvu.documents.services import document_issue
    from dangvu.figures.recount import recount_touched
    from dangvu.orgs.services import term_create, unit_update

    settings.FIGURE_DELAY = 3600
    org.G = unit_update(actor=None, unit=org.G, symbol="ĐU")
    term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 1))
    keys = [measures.get(TOTAL), measures.get("documents.issued")]
    measures.compute_all(org.G, THIS_YEAR, keys, levels=0)
    document_issue(actor=None, unit=org.G, doc_type="KH", issued_on=TODAY, summary="Kế hoạch thử")
    assert recount_touched() == 1  # documents.issued only
    table = measures.compute_all(org.G, THIS_YEAR, keys, levels=0)
    assert table["documents.issued"][org.G.path].value == 1 and table[TOTAL][org.G.path].value == counted(org.G)
    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))
    assert recount_touched() == 2  # a member: every area


def test_a_count_that_fails_lets_others_count(org):
    """A claim taken by a count that raised is given back at once, not after CLAIM_SECONDS."""
    def ask(compute):
        return measures.Ask("study.test_figure", (org.G.pk,), compute)

    measures.keep(org.G, THIS_YEAR, [ask(lambda: {"n": 1})])
    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))  # touches every area at G

    def broken():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        measures.keep(org.G, THIS_YEAR, [ask(broken)])
    assert StoredFigure.objects.get(name="study.test_figure").counting_since is None
    (values,), stamp = measures.keep(org.G, THIS_YEAR, [ask(lambda: {"n": 2})])
    assert values == {"n": 2} and not stamp.updating


def test_asks_differing_in_levels_or_campaign_are_kept_apart_and_counted_again_from_their_recipe(org, settings):
    """One measure, one unit, one period, asked for four ways (to the bottom, one level down, one
    campaign, the other): four kept figures, each counted again by the worker from its recipe as
    asked; a figure kept before the query object (its campaign in "narrowing") is read too."""
    from dangvu.figures.recount import recount_touched
    from dangvu.study import services as study

    def campaign(title, units):
        return study.campaign_create(actor=None, unit=org.G, title=title, documents=[], units=units,
                                     start=TODAY - datetime.timedelta(days=5),
                                     end=TODAY + datetime.timedelta(days=30), essay_required=False)

    only_a, whole_g = campaign("Học tập Nghị quyết 57-NQ/TW", [org.A]), campaign("Học tập Nghị quyết 66-NQ/TW", [org.G])
    measure = measures.get("study.participants")
    asks = [measures.Query(org.G, THIS_YEAR), measures.Query(org.G, THIS_YEAR, levels=1),
            measures.Query(org.G, THIS_YEAR, levels=0, campaign=only_a.pk),
            measures.Query(org.G, THIS_YEAR, levels=0, campaign=whole_g.pk)]

    def kept_and_counted() -> list[tuple[dict, dict]]:
        kept = [measures.figures_for(q, [measure])[measure.key] for q in asks]
        settings.FIGURE_STORE = False
        counted_now = [measures.figures_for(q, [measure])[measure.key] for q in asks]
        settings.FIGURE_STORE = True
        return list(zip(kept, counted_now, strict=True))

    first = kept_and_counted()
    assert all(kept == counted_now for kept, counted_now in first)
    assert [values[org.G.path].denominator for values, _ in first] == [4, 4, 3, 4]
    assert org.A.path in first[1][0] and org.A.path not in first[2][0]  # levels=1 reaches the cells
    rows = StoredFigure.objects.filter(name=measure.key, unit=org.G)
    assert rows.count() == len({q.key() for q in asks}) == 4
    assert sorted((r.recipe["levels"] is None, r.recipe["levels"], r.recipe["campaign"] or 0) for r in rows) == \
        sorted((q.levels is None, q.levels, q.campaign or 0) for q in asks)
    old = rows.get(recipe__campaign=only_a.pk)
    StoredFigure.objects.filter(pk=old.pk).update(recipe={"measure": measure.key, "levels": 0, "narrowing": [only_a.pk]})

    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))  # touches every kept figure of G
    assert recount_touched() == 4
    again = kept_and_counted()
    assert all(kept == counted_now for kept, counted_now in again)
    assert [values[org.G.path].denominator for values, _ in again] == [5, 5, 3, 5]
    assert all(r.counted_at > old.counted_at for r in rows.all())  # the worker's counts, read back as kept
    assert StoredFigure.objects.get(pk=old.pk).recipe == {"measure": measure.key, "levels": 0, "campaign": only_a.pk}


def test_each_night_the_open_periods_kept_figures_are_counted_for_the_new_day(org, settings, django_assert_num_queries):
    from dangvu.jobs.models import Job
    from dangvu.ops.management.commands.housekeeping import nightly_due

    settings.FIGURE_RECOUNT, settings.FIGURE_RECOUNT_AFTER = True, 0
    assert (total(org.G), total(org.G, LAST_YEAR)) == (counted(org.G), counted(org.G, LAST_YEAR))
    yesterday = TODAY - datetime.timedelta(days=1)
    StoredFigure.objects.update(as_of=yesterday)  # what yesterday's offices opened
    last_years = counted_at(org.G, LAST_YEAR)
    said = io.StringIO()
    call_command("housekeeping", "--once", stdout=said)
    assert Job.objects.filter(kind="figures.recount", status=Job.Status.QUEUED).count() == 1
    assert ("Đã cập nhật thống kê của cơ sở dữ liệu." in said.getvalue()) == (connection.vendor == "postgresql")
    run_worker()
    # this year's is true of today again, without a page counting it; last year's was already
    this_year = StoredFigure.objects.get(name=TOTAL, unit=org.G, period_end=THIS_YEAR.end, recipe__levels=0)
    assert this_year.as_of == TODAY and counted_at(org.G, LAST_YEAR) == last_years
    with django_assert_num_queries(2):  # the kept row and the changes since its count: no counting
        value = total(org.G)
    assert value == counted(org.G)
    # the night's work: once a day from HOUSEKEEPING_HOUR, and when the process starts
    settings.HOUSEKEEPING_HOUR = 1
    at = datetime.datetime.combine(TODAY, datetime.time(0, 30))
    assert [nightly_due(None, at), nightly_due(yesterday, at), nightly_due(yesterday, at.replace(hour=1)),
            nightly_due(TODAY, at.replace(hour=23))] == [True, False, True, False]


def test_an_essay_handed_in_recounts_the_essays_figures_and_leaves_the_rest_of_study_kept(org, settings):
    """Study's figures read no essay (who takes part, sessions, presences): an essay handed in
    touches the essays' figures only; a session recorded (study's own rows) touches both."""
    from dangvu.essays import services as essay_services
    from dangvu.essays.models import Essay
    from dangvu.figures.recount import recount_touched
    from dangvu.study import services as study_services
    from dangvu.study.selectors import campaign_list_figures

    settings.FIGURE_DELAY = 3600
    day = datetime.timedelta(days=1)
    campaign = study_services.campaign_create(
        actor=None, unit=org.G, title="Học tập Nghị quyết", documents=[], units=[org.G], start=TODAY - 9 * day,
        end=TODAY + 30 * day, essay_required=True, essay_deadline=TODAY + 20 * day, min_words=1)
    keys = [measures.get("study.participants"), measures.get("study.essays_submitted")]
    measures.compute_all(org.G, THIS_YEAR, keys, levels=0)
    assert campaign_list_figures([campaign], org.G)[0][1].submitted == 0  # kept too, with essay columns
    essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, text="Bài thu hoạch.",
                                today=TODAY)
    assert recount_touched() == 1  # the essays handed in; who takes part is as it was
    # the campaign list (no recipe to count it from) is forgotten, counted when next asked
    assert not StoredFigure.objects.filter(name="study.campaign_list").exists()
    assert campaign_list_figures([campaign], org.G)[0][1].submitted == 1
    table = measures.compute_all(org.G, THIS_YEAR, keys, levels=0)
    assert table["study.essays_submitted"][org.G.path].value == Essay.objects.filter(campaign=campaign).count() == 1
    taking_part = table["study.participants"][org.G.path]  # of those taking part, who attended
    assert (taking_part.numerator, taking_part.denominator) == (0, counted(org.G)) == (0, 4)
    study_services.session_record(actor=None, campaign=campaign, held_on=TODAY)
    assert recount_touched() == 2
    assert not StoredFigure.objects.filter(name="study.campaign_list").exists()
