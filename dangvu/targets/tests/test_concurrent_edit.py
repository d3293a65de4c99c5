"""Two officers edit the same target: the second save is refused and shown the first one's
change; nothing is overwritten silently (dangvu/lib/concurrency.py)."""

import datetime

import pytest
from django.utils import translation

from dangvu.audit.models import AuditEntry
from dangvu.lib.concurrency import EditConflict, conflict_message
from dangvu.orgs.tests.test_concurrent_edit import officers, posted_form, shown  # noqa: F401
from dangvu.targets import services
from dangvu.targets.models import Target


@pytest.fixture
def target(org):
    return services.target_create(actor=None, unit=org.G, title="Sinh hoạt chuyên đề", measure="study.sessions",
                                  applies_kind="cell", thresholds=[{"has_committee": None, "min": 2}],
                                  start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))


def updates(target) -> int:
    return AuditEntry.objects.filter(model="targets.target", object_id=str(target.pk),
                                     action=AuditEntry.Action.UPDATE).count()


def test_the_second_of_two_crossing_saves_is_refused_and_shown_the_first(org, officers, target):  # noqa: F811
    first, second = officers
    url = f"/targets/{target.pk}/"
    mine = posted_form(first.get(url).content.decode(), "title")
    theirs = posted_form(second.get(url).content.decode(), "title")
    assert mine["version"] == theirs["version"] == str(target.version) and mine["min"] == "2"

    assert first.post(url, {**mine, "min": "3"}).status_code == 302
    refused = second.post(url, {**theirs, "title": "Sinh hoạt chuyên đề mỗi quý", "min": "4"})

    assert refused.status_code == 409
    stored = Target.objects.get(pk=target.pk)
    assert (stored.title, stored.thresholds) == ("Sinh hoạt chuyên đề", [{"has_committee": None, "min": 3.0}])
    assert updates(target) == 1
    entry = AuditEntry.objects.get(model="targets.target", object_id=str(target.pk), action=AuditEntry.Action.UPDATE)
    with translation.override("vi"):
        assert conflict_message("off", entry.at) in shown(refused)
    again = posted_form(refused.content.decode(), "title")
    assert (again["title"], again["min"], again["version"]) == ("Sinh hoạt chuyên đề mỗi quý", "4", str(stored.version))

    assert second.post(url, again).status_code == 302  # sent again from the current version: it applies
    stored.refresh_from_db()
    assert (stored.title, stored.thresholds[0]["min"]) == ("Sinh hoạt chuyên đề mỗi quý", 4.0)
    assert updates(target) == 2


def test_a_save_from_the_current_version_goes_through_and_the_copy_form_still_works(org, officers, target):  # noqa: F811
    first, _second = officers
    url = f"/targets/{target.pk}/"
    form = posted_form(first.get(url).content.decode(), "title")
    answer = first.post(url, {**form, "min": "3", "min_with_committee": "5"})
    assert answer.status_code == 302
    stored = Target.objects.get(pk=target.pk)
    assert stored.thresholds == [{"has_committee": True, "min": 5.0}, {"has_committee": False, "min": 3.0}]
    assert updates(target) == 1
    assert first.post(url, {"year": "2027"}).status_code == 302  # the page's other form
    assert Target.objects.count() == 2


def test_the_service_refuses_a_stale_version_and_writes_nothing(org, target):
    values = dict(title=target.title, measure=target.measure, applies_kind="cell",
                  thresholds=[{"has_committee": None, "min": 5}], start=target.start, end=target.end)
    services.target_update(actor=None, target=target, version=target.version, **values)
    with pytest.raises(EditConflict):
        services.target_update(actor=None, target=target, version=target.version, **dict(values, title="Khác"))
    assert Target.objects.get(pk=target.pk).title == "Sinh hoạt chuyên đề" and updates(target) == 1
