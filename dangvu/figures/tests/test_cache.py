"""Kept figures (lib/figure_cache.py): used while nothing changed, never after a committed change,
whatever way the change was written; a transaction's own uncommitted changes are seen by it and
never kept for others. Real commits: these tests run outside the test transaction."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from conftest import make_member
from dangvu.audit.models import AuditEntry
from dangvu.lib import figure_cache, measures
from dangvu.lib.periods import Period
from dangvu.orgs.models import MemberSpan

pytestmark = pytest.mark.django_db(transaction=True)

TOTAL = "members.total"


def total(unit) -> int:
    table = measures.compute_all(unit, Period.year(timezone.localdate().year), [measures.get(TOTAL)], levels=0)
    return int(table[TOTAL][unit.path].value)


def counted(unit) -> int:
    """Members with a stretch of membership in the unit's subtree open at the end of the year."""
    end = Period.year(timezone.localdate().year).end
    return (MemberSpan.objects.filter(unit__path__startswith=unit.path, start__lte=end)
            .exclude(end__lte=end).values("member").distinct().count())


def test_a_kept_figure_is_used_while_nothing_changes(org, django_assert_max_num_queries):
    figure_cache.refresh()
    first = total(org.G)
    assert first == counted(org.G) == 4
    with django_assert_max_num_queries(1):  # the version only: the figure itself is kept
        assert total(org.G) == first


def test_every_kind_of_committed_write_is_seen(org):
    figure_cache.refresh()
    assert total(org.G) == 4
    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))  # through a service
    assert total(org.G) == counted(org.G) == 5
    MemberSpan.objects.filter(member__full_name="Đỗ Văn Giang").update(unit=org.P)  # a queryset update, no signal
    assert total(org.G) == counted(org.G) == 4
    with connection.cursor() as cursor:  # plain SQL
        cursor.execute("DELETE FROM orgs_memberspan WHERE member_id IN (SELECT id FROM orgs_member WHERE unit_id = %s)",
                       [org.B.pk])
    assert total(org.G) == 3


def test_a_transaction_sees_its_own_writes_and_keeps_nothing_after_rollback(org):
    figure_cache.refresh()
    assert total(org.G) == 4
    with pytest.raises(RuntimeError), transaction.atomic():
        make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))
        assert figure_cache.version() is None  # uncommitted changes: no cache for this transaction
        assert total(org.G) == 5
        raise RuntimeError("rolled back")
    assert total(org.G) == counted(org.G) == 4


def test_writes_figures_never_read_keep_the_version(org):
    figure_cache.refresh()
    before = figure_cache.version()
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    AuditEntry.objects.create(action="update", model="x", object_id="1", object_repr="x", unit_path=org.G.path)
    assert figure_cache.version() == before
    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))
    assert figure_cache.version()[1] > before[1]


def test_switched_off_it_always_counts(org, settings):
    settings.FIGURE_CACHE = False
    assert figure_cache.version() is None
    assert total(org.G) == 4
    MemberSpan.objects.filter(unit=org.B).update(unit=org.P)
    assert total(org.G) == counted(org.G) == 3


def test_after_a_change_the_worker_counts_the_top_units_again(org, settings, django_assert_max_num_queries):
    from conftest import run_worker
    from dangvu.figures.selectors import children_in, dashboard_levels

    settings.FIGURE_WARM, settings.FIGURE_WARM_DELAY = True, 0
    make_member(org.B, "Đỗ Văn Giang", datetime.date(1985, 4, 4))  # a committed change queues the warm-up
    run_worker()
    year = Period.year(timezone.localdate().year)
    levels = dashboard_levels(children_in(org.P, year))
    with django_assert_max_num_queries(1):  # the version only: what the province's dashboard asks for is kept
        table = measures.compute_all(org.P, year, levels=levels)
    assert table[TOTAL][org.P.path].value == counted(org.P) == 5


def test_the_dashboard_asked_again_counts_nothing_again(org, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.users["off"])
    url = f"/units/{org.G.pk}/figures/"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        page = client.get(url)
    print([q["sql"][:120] for q in again.captured_queries])
    assert page.status_code == 200 and len(again) < len(first) / 2


def test_a_page_shows_a_mark_saved_on_another_page_at_once(org, client):
    """The officer's campaign page is kept; the cell secretary marks a member present and
    submits nothing else; the officer's next look counts the mark (real commits, two users)."""
    import re

    from dangvu.study import services as study

    campaign = study.campaign_create(actor=None, unit=org.G, title="Học tập Nghị quyết 66-NQ/TW", documents=[],
                                     units=[org.G], start=timezone.localdate() - datetime.timedelta(days=5),
                                     end=timezone.localdate() + datetime.timedelta(days=30), essay_required=False)
    session = study.session_record(actor=None, campaign=campaign, held_on=campaign.start)

    def attended() -> str:
        client.force_login(org.users["off"])
        page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
        return re.search(r'id="fig-attended">([^<]*)<', page).group(1)

    assert attended() == "0/4"
    assert attended() == "0/4"  # asked again: from the cache
    client.force_login(org.users["sec"])
    answer = client.post(f"/sessions/{session.pk}/", {f"m{org.mem_member.pk}": "present"})
    assert answer.status_code in (200, 302)
    assert attended() == "1/4"


def test_refresh_figures_forgets_what_was_kept(org):
    """After a change made outside dangvu (here a write the wrapper does not see), the command
    makes the next figure count again."""
    import io

    from django.core.management import call_command

    figure_cache.refresh()
    assert total(org.G) == 4
    connection.execute_wrappers.clear()  # as psql would: no version raised
    try:
        MemberSpan.objects.filter(unit=org.B).delete()
    finally:
        figure_cache.install(None, connection)
    assert total(org.G) == 4  # still the kept figure
    out = io.StringIO()
    call_command("refresh_figures", "--no-warm", stdout=out)
    assert "Đã quên số liệu đã lưu" in out.getvalue()
    assert total(org.G) == counted(org.G) == 3


@pytest.mark.parametrize("year_", [2025, 2026])
def test_kept_figures_equal_counted_ones_at_every_level_this_year_and_last(org, settings, year_):
    """Every registered measure, kept and then read back, equals the same measure counted with
    the cache off: at a cell, the commune and the province, for the scenario's two years."""
    from dangvu.figures.tests.scenario import record_year

    record_year(org)
    figure_cache.refresh()
    period = Period.year(year_)
    for unit in (org.A, org.G, org.P):
        measures.compute_all(unit, period)  # counted and kept
        kept = measures.compute_all(unit, period)  # read back
        settings.FIGURE_CACHE = False
        counted = measures.compute_all(unit, period)
        settings.FIGURE_CACHE = True
        for m in measures.all_measures():
            assert measures.value_at(kept[m.key], unit.path, m) == measures.value_at(counted[m.key], unit.path, m), \
                (m.key, unit.name, year_)
