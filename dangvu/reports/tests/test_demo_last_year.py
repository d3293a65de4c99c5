"""Issue 23: the demo covers last year's second half too, so the 2025 report is not empty; its
figures agree with the rows, and nothing of it reaches into 2026 (numbers, open recommendations)."""


import pytest

from dangvu.documents.models import Document
from dangvu.inspections.models import Recommendation
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.orgs.demo import build_demo
from dangvu.orgs.models import OrgUnit
from dangvu.reports import services
from dangvu.reports.build import NOTHING_RECORDED
from dangvu.reports.demo_last_year import build_last_year_demo
from dangvu.study.demo import build_study_demo
from dangvu.study.models import Campaign

pytestmark = pytest.mark.django_db
YEAR_2025 = Period.year(2025)


@pytest.fixture
def demo():
    """A small demo with this year's study (its 2026 plans take numbers first), then last year's."""
    build_demo(members=400, seed=2025, progress=False)
    build_study_demo(seed=2025, progress=False)
    build_last_year_demo(seed=2025)
    return OrgUnit.objects.get(code="TQ")


def test_the_2025_report_tells_the_study_of_the_second_half(demo):
    report = services.report_build(services.report_create(actor=None, unit=demo, start=YEAR_2025.start,
                                                          end=YEAR_2025.end))
    report.refresh_from_db()
    texts = {s["key"]: s["text"] for s in report.sections if s.get("kind") == "computed"}
    assert texts["hoc-tap"] != NOTHING_RECORDED
    assert "Nghị quyết số 71-NQ/TW" in texts["hoc-tap"]

    table = measures.compute_all(demo, YEAR_2025)
    held = measures.value_at(table["study.campaigns_held"], demo.path, measures.get("study.campaigns_held"))
    counted = Campaign.objects.filter(unit__path__startswith=demo.path, start__lte=YEAR_2025.end,
                                      end__gte=YEAR_2025.start, cancelled_on__isnull=True).count()
    assert counted == 2
    assert held.value == counted


def test_last_year_leaves_this_years_numbers_and_recommendations_as_they_were(demo):
    plans_2026 = Document.objects.filter(unit=demo, direction=Document.Direction.ISSUED, doc_type="KH",
                                         issued_on__year=2026).order_by("number")
    assert list(plans_2026.values_list("number", flat=True)) == [1, 2, 3, 4]  # still the first of their term
    plans_2025 = Document.objects.filter(unit=demo, direction=Document.Direction.ISSUED, doc_type="KH",
                                         issued_on__year=2025)
    assert plans_2025.count() == 2 and plans_2025.values("term").distinct().count() == 1
    assert not plans_2025.filter(term__in=plans_2026.values("term")).exists()
    opened_2025 = Recommendation.objects.filter(inspection__start__year=2025)
    assert opened_2025.exists()
    assert not opened_2025.filter(done_on__isnull=True).exists()
    assert not opened_2025.filter(done_on__year=2026).exists()
