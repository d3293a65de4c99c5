"""Two officers write the same section of a report: the second save is refused and shown the
first one's text; nothing is overwritten silently. Different sections never conflict."""

import datetime

import pytest
from django.utils import translation

from dangvu.audit.models import AuditEntry
from dangvu.lib.concurrency import EditConflict, conflict_message
from dangvu.orgs.tests.test_concurrent_edit import officers, posted_form, shown  # noqa: F401
from dangvu.reports import services
from dangvu.reports.models import Report


@pytest.fixture
def report(org):
    """A draft built by the build job's own work (report_build), without the worker."""
    report = services.report_create(actor=None, unit=org.G, start=datetime.date(2026, 1, 1),
                                    end=datetime.date(2026, 12, 31))
    services.report_build(report)
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    return report


def section_edits(report, key) -> int:
    return AuditEntry.objects.filter(model="reports.report", object_id=str(report.pk),
                                     changes__has_key=f"narrative:{key}").count()


def test_the_second_of_two_crossing_saves_of_a_section_is_refused_and_shown_the_first(org, officers,  # noqa: F811
                                                                                       report):
    first, second = officers
    url = f"/reports/{report.pk}/"
    mine = posted_form(first.get(url).content.decode(), "text", key="han-che")
    theirs = posted_form(second.get(url).content.decode(), "text", key="han-che")
    assert mine["version"] == theirs["version"] == "0"

    assert first.post(url, {**mine, "text": "Một số chi bộ sinh hoạt chưa đều."}).status_code == 302
    refused = second.post(url, {**theirs, "text": "Công tác kiểm tra còn chậm."})

    assert refused.status_code == 409
    report.refresh_from_db()
    assert report.narratives["han-che"] == "Một số chi bộ sinh hoạt chưa đều."
    assert section_edits(report, "han-che") == 1
    entry = AuditEntry.objects.get(model="reports.report", object_id=str(report.pk),
                                   changes__has_key="narrative:han-che")
    page = shown(refused)
    with translation.override("vi"):
        assert conflict_message("off", entry.at) in page
    assert "Một số chi bộ sinh hoạt chưa đều." in page  # the text now stored, shown
    again = posted_form(refused.content.decode(), "text", key="han-che")
    assert (again["text"], again["version"]) == ("Công tác kiểm tra còn chậm.", "1")  # their text, kept

    assert second.post(url, again).status_code == 302  # sent again, knowingly: it applies
    report.refresh_from_db()
    assert report.narratives["han-che"] == "Công tác kiểm tra còn chậm." and section_edits(report, "han-che") == 2


def test_two_officers_writing_different_sections_both_save(org, officers, report):  # noqa: F811
    first, second = officers
    url = f"/reports/{report.pk}/"
    mine = posted_form(first.get(url).content.decode(), "text", key="han-che")
    theirs = posted_form(second.get(url).content.decode(), "text", key="bai-hoc")
    assert first.post(url, {**mine, "text": "Một số chi bộ sinh hoạt chưa đều."}).status_code == 302
    assert second.post(url, {**theirs, "text": "Bám sát cơ sở."}).status_code == 302
    report.refresh_from_db()
    assert (report.narratives["han-che"], report.narratives["bai-hoc"]) == ("Một số chi bộ sinh hoạt chưa đều.",
                                                                             "Bám sát cơ sở.")
    assert report.narrative_versions == {"han-che": 1, "bai-hoc": 1}


def test_the_service_refuses_a_stale_version_and_writes_nothing(report):
    services.narrative_update(actor=None, report=report, key="han-che", text="Lần một.", version=0)
    with pytest.raises(EditConflict) as exc:
        services.narrative_update(actor=None, report=report, key="han-che", text="Lần hai.", version=0)
    assert exc.value.current_version == 1
    # the same words as stored lose nobody's text: accepted whatever the version
    services.narrative_update(actor=None, report=report, key="han-che", text="Lần một.", version=0)
    report.refresh_from_db()
    assert report.narratives["han-che"] == "Lần một." and section_edits(report, "han-che") == 1


def test_the_second_of_two_crossing_saves_of_the_heading_is_refused_and_shown_the_first(org, officers,  # noqa: F811
                                                                                        report):
    """The heading and signature form counts its saves like a section: a signer changed by one
    officer is not put back silently by another who opened the form before."""
    first, second = officers
    url = f"/reports/{report.pk}/"
    mine = posted_form(first.get(url).content.decode(), "signer")
    theirs = posted_form(second.get(url).content.decode(), "signer")
    assert mine["version"] == theirs["version"] == "0"

    assert first.post(url, {**mine, "signer": "Nguyễn Văn Hùng"}).status_code == 302
    refused = second.post(url, {**theirs, "title": "Tổng kết công tác xây dựng Đảng năm 2026"})

    assert refused.status_code == 409
    report.refresh_from_db()
    assert report.head["signer"] == "Nguyễn Văn Hùng" and report.head["title"] == mine["title"].strip()
    entry = AuditEntry.objects.filter(model="reports.report", object_id=str(report.pk),
                                      changes__has_key="signer").get()
    page = shown(refused)
    with translation.override("vi"):
        assert conflict_message("off", entry.at) in page
    assert "Nguyễn Văn Hùng" in page  # the signer stored now, beside theirs
    again = posted_form(refused.content.decode(), "signer")
    assert (again["title"].strip(), again["signer"], again["version"]) == (
        "Tổng kết công tác xây dựng Đảng năm 2026", theirs["signer"], "1")  # their input, kept

    assert second.post(url, {**again, "signer": "Nguyễn Văn Hùng"}).status_code == 302  # knowingly, on top
    report.refresh_from_db()
    assert (report.head["title"], report.head["signer"], report.head_version) == (
        "Tổng kết công tác xây dựng Đảng năm 2026", "Nguyễn Văn Hùng", 2)
