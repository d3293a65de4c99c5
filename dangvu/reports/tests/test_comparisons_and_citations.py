"""Issue 23: the report names its best and worst sub-units, cites the documents studied and
issued by number and date, and says its inspections as a cell or as a committee. Each sentence
is checked against rows counted here (spans, attendance, the register), never the measures."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from docx import Document as read_docx

from conftest import make_member, run_worker
from dangvu.documents import services as documents
from dangvu.documents.models import Document
from dangvu.inspections.models import Inspection
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Change, MemberSpan, UnitKind
from dangvu.reports import services
from dangvu.reports.document import report_docx
from dangvu.reports.models import Report
from dangvu.study.models import Attendance

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True)  # the real worker builds (see test_reports.py)


@pytest.fixture
def queued(django_capture_on_commit_callbacks):
    """A service, then the real worker on the job it queued (see test_reports.py)."""
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        run_worker()
        result.refresh_from_db()
        assert result.status == Report.Status.DRAFT, result.error
        return result

    return run


@pytest.fixture
def draft(queued):
    def run(unit, year=2026) -> Report:
        return queued(lambda: services.report_create(actor=None, unit=unit, start=D(year, 1, 1), end=D(year, 12, 31)))

    return run


@pytest.fixture
def build(draft):
    """A draft's body as its .docx prints it."""
    return lambda unit, year=2026: body(draft(unit, year))


def body(report: Report) -> str:
    return "\n".join(p.text for p in read_docx(io.BytesIO(report_docx(report))).paragraphs)


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole, 2):g}".replace(".", ",") + "%"


def took_part(unit, campaign) -> tuple[int, int]:
    """Members of the unit (its subtree) at some time while the campaign ran, and how many of
    them were present at one of its sessions."""
    eligible = set(MemberSpan.objects.filter(unit__path__startswith=unit.path, start__lte=campaign.end)
                   .filter(Q(end__isnull=True) | Q(end__gt=campaign.start)).values_list("member_id", flat=True))
    present = set(Attendance.objects.filter(session__campaign=campaign, session__cancelled_on__isnull=True,
                                            status="present").values_list("member_id", flat=True))
    return len(eligible & present), len(eligible)


def admitted(unit, year: int) -> int:
    return MemberSpan.objects.filter(unit=unit, start_change=Change.ADMITTED, start__year=year).count()


def test_the_cell_that_leads_and_the_one_last_in_study(year, build):
    a, b, g = (took_part(u, year.campaign) for u in (year.A, year.B, year.G))
    assert (a, b) == ((3, 4), (1, 3))  # the scenario, so that the sentence below says something
    commune = build(year.G)
    assert (f"tham gia học tập, đạt {percent(*g)}; {year.A.name} dẫn đầu với {percent(*a)}, {year.B.name} thấp nhất "
            f"với {percent(*b)}.") in commune
    # a cell has no sub-units to compare; the province has one commune with members to study (H's
    # rate has no base): nothing is compared
    assert f"tham gia học tập, đạt {percent(*a)}.\n" in build(year.A) + "\n"
    province = build(year.P)
    assert f"tham gia học tập, đạt {percent(*g)}.\n" in province and "thấp nhất" not in province
    # the province compares its communes' admissions: G admitted two, H none
    by_commune = [MemberSpan.objects.filter(unit__path__startswith=u.path, start_change=Change.ADMITTED,
                                            start__year=2026).count() for u in (year.G, year.H)]
    assert by_commune == [2, 0]
    assert f"Trong công tác phát triển đảng viên, {year.G.name} dẫn đầu với {by_commune[0]} đảng viên mới." in province
    # A and B admitted one each: equal, so nobody leads
    assert admitted(year.A, 2026) == admitted(year.B, 2026) == 1
    assert "phát triển đảng viên" not in commune


def test_the_cell_that_admitted_most_and_cells_tied_are_named_together(year, build):
    cell_d = org_services.unit_create(actor=None, parent=year.G, name="Chi bộ thôn Khuổi Phầy", code="D",
                                      kind=UnitKind.CELL, valid_from=D(2020, 1, 1))
    counts = [admitted(u, 2026) for u in (year.A, year.B, cell_d)]
    assert counts == [1, 1, 0]
    assert (f"Trong công tác phát triển đảng viên, {year.A.name} và {year.B.name} cùng dẫn đầu với {counts[0]} đảng "
            "viên mới.") in build(year.G)
    make_member(year.A, "Đinh Văn Mới", D(1995, 5, 5), admission_date=D(2026, 9, 1), official_date=None,
                status="du_bi")
    assert admitted(year.A, 2026) == 2
    assert (f"Trong công tác phát triển đảng viên, {year.A.name} dẫn đầu với {admitted(year.A, 2026)} đảng viên "
            "mới.") in build(year.G)


def test_inspections_are_told_as_the_units_kind_says(year, build):
    held = {u: Inspection.objects.filter(unit__path__startswith=u.path, kind="inspection", end__year=2026).count()
            for u in (year.G, year.A)}
    by_cells = Inspection.objects.filter(unit__path__startswith=year.G.path, unit__kind=UnitKind.CELL,
                                         kind="inspection", end__year=2026).count()
    assert held == {year.G: 2, year.A: 1} and by_cells == 1
    commune = build(year.G)
    assert (f"Các cấp ủy, tổ chức đảng đã tiến hành {held[year.G]} cuộc kiểm tra, trong đó chi bộ kiểm tra "
            f"{by_cells} cuộc") in commune
    cell = build(year.A)
    assert f"Chi bộ đã tiến hành {held[year.A]} cuộc kiểm tra." in cell
    assert "Các cấp ủy" not in cell and "trong đó chi bộ kiểm tra" not in cell


@pytest.fixture
def register(year):
    """The province's plan and the commune's, studied in the commune's campaign; beside them a
    decision the province kept to itself and a resolution of the other commune, attached by hand
    (the page offers neither), and what the commune issued in the year."""
    org_services.unit_update(actor=None, unit=year.P, symbol="TU")
    org_services.term_create(actor=None, unit=year.P, name="2025-2030", congress_closed_on=D(2025, 8, 1))
    year.P.refresh_from_db()
    r = type("Register", (), {})()
    r.plan_above = documents.document_issue(actor=None, unit=year.P, doc_type="KH", issued_on=D(2026, 2, 10),
                                            summary="Kế hoạch học tập, quán triệt Nghị quyết số 57-NQ/TW")
    r.kept_above = documents.document_issue(actor=None, unit=year.P, doc_type="QĐ", issued_on=D(2026, 2, 12),
                                            summary="Quyết định về công tác cán bộ")
    r.other_branch = documents.document_receive(actor=None, unit=year.H, doc_type="NQ", number=9, issuer_symbol="ĐU",
                                                issued_on=D(2026, 1, 9), summary="Nghị quyết về xã Yên Phú")
    r.resolution = documents.document_issue(actor=None, unit=year.G, doc_type="NQ", issued_on=D(2026, 1, 5),
                                            summary="Nghị quyết về nhiệm vụ năm 2026")
    r.plan = documents.document_issue(actor=None, unit=year.G, doc_type="KH", issued_on=D(2026, 2, 20),
                                      summary="Kế hoạch triển khai học tập Nghị quyết 57")
    r.decision = documents.document_issue(actor=None, unit=year.G, doc_type="QĐ", issued_on=D(2026, 3, 2),
                                          summary="Quyết định kết nạp đảng viên")
    r.withdrawn = documents.document_issue(actor=None, unit=year.G, doc_type="KH", issued_on=D(2026, 4, 1),
                                           summary="Kế hoạch ban hành nhầm")
    documents.document_withdraw(actor=None, doc=r.withdrawn, reason="Ban hành nhầm", on=D(2026, 4, 2))
    year.campaign.documents.add(r.plan_above, r.kept_above, r.other_branch, r.plan, r.withdrawn)
    return r


def cited(doc: Document, about: str, by: str = "") -> str:
    kind = {"KH": "Kế hoạch", "NQ": "Nghị quyết", "HD": "Hướng dẫn"}[doc.doc_type]
    return f"{kind} số {doc.reference} ngày {doc.issued_on:%d/%m/%Y}{f' của {by}' if by else ''} về {about}"


def test_the_documents_studied_are_cited_from_the_register_and_only_those_its_readers_may_read(year, register, build):
    r = register
    studied = set(year.campaign.documents.values_list("pk", flat=True))
    readable_by_g = set(Document.objects.filter(pk__in=studied, withdrawn_on__isnull=True).filter(
        Q(unit=year.G) | Q(unit=year.P, shared=True)).values_list("pk", flat=True))
    assert readable_by_g == {r.plan_above.pk, r.plan.pk} and not r.kept_above.shared
    commune = build(year.G)
    assert ("Các văn bản được học tập, quán triệt, triển khai thực hiện: "
            + cited(r.plan_above, "học tập, quán triệt Nghị quyết số 57-NQ/TW", "Tỉnh ủy Thử") + "; "
            + cited(r.plan, "triển khai học tập Nghị quyết 57") + ".") in commune
    # the cell studied the same, both from above; never the province's decision, the other
    # commune's resolution or a withdrawn plan
    cell = build(year.A)
    assert ("Các văn bản được học tập, quán triệt, triển khai thực hiện: "
            + cited(r.plan_above, "học tập, quán triệt Nghị quyết số 57-NQ/TW", "Tỉnh ủy Thử")
            + "; " + cited(r.plan, "triển khai học tập Nghị quyết 57", "Đảng ủy xã Hùng An") + ".") in cell
    for text in (commune, cell):
        for hidden in (r.kept_above, r.other_branch, r.withdrawn):
            assert hidden.reference not in text


def test_the_documents_the_committee_issued_are_cited_and_a_handful_at_most(year, register, build):
    r = register
    commune = build(year.G)
    lead = Document.objects.filter(unit=year.G, direction="issued", issued_on__year=2026, withdrawn_on__isnull=True,
                                   doc_type__in=["NQ", "CT", "KL", "HD", "KH", "CTr", "ĐA"])
    assert list(lead.order_by("issued_on")) == [r.resolution, r.plan]  # the decision about people is not "chủ yếu"
    assert ("Các văn bản lãnh đạo, chỉ đạo chủ yếu của cấp ủy: " + cited(r.resolution, "nhiệm vụ năm 2026") + "; "
            + cited(r.plan, "triển khai học tập Nghị quyết 57") + ".") in commune
    assert "chỉ đạo chủ yếu" not in build(year.A)  # the cell issued nothing
    for n in range(6):
        documents.document_issue(actor=None, unit=year.G, doc_type="HD", issued_on=D(2026, 6, 1 + n),
                                 summary="Hướng dẫn về sinh hoạt chi bộ")
    first = list(lead.order_by("issued_on", "number"))[:5]
    more = lead.count() - 5
    assert more == 3
    sentence = next(line for line in build(year.G).splitlines() if "chỉ đạo chủ yếu" in line)
    assert sentence.endswith(f"{cited(first[-1], 'sinh hoạt chi bộ')} và {more} "
                             "văn bản khác.")
    assert sentence.count(" ngày ") == 5


# --- a computed section's wording edited in the report ---------------------------------------

def held_in(unit, year: int = 2026) -> int:
    return Inspection.objects.filter(unit__path__startswith=unit.path, kind="inspection", end__year=year).count()


def section(report: Report, key: str) -> dict:
    return next(s for s in report.sections if s["key"] == key)


def test_an_edited_sentence_is_kept_across_a_rebuild_and_marked_when_its_figures_change(client, year, draft, queued):
    from dangvu.inspections import services as inspections

    report = draft(year.G)
    computed = section(report, "kiem-tra")["text"]
    assert f"đã tiến hành {held_in(year.G)} cuộc kiểm tra" in computed and held_in(year.G) == 2
    mine = computed.replace("Các cấp ủy, tổ chức đảng đã tiến hành", "Cấp ủy và các chi bộ đã chủ động tiến hành")
    services.computed_update(actor=None, report=report, key="kiem-tra", text=mine, version=0)
    report.refresh_from_db()
    assert report.edits["kiem-tra"] == {"text": mine, "over": computed}
    assert (section(report, "kiem-tra")["edited"], section(report, "kiem-tra")["stale"]) == (True, False)
    assert "Cấp ủy và các chi bộ đã chủ động tiến hành 2 cuộc kiểm tra" in body(report)
    assert "Các cấp ủy, tổ chức đảng đã tiến hành" not in body(report)
    # computed again with the same figures: the wording stays, unmarked
    report = queued(lambda: services.report_rebuild(actor=None, report=report))
    assert section(report, "kiem-tra")["text"] == mine and not section(report, "kiem-tra").get("stale")
    # a new inspection: the wording stays, marked, with what the figures say now beside it
    inspections.inspection_record(actor=None, unit=year.B, kind="inspection", member=year.f, start=D(2026, 9, 1),
                                  end=D(2026, 9, 3), content="Đảng phí", outcome="good")
    assert held_in(year.G) == 3
    report = queued(lambda: services.report_rebuild(actor=None, report=report))
    now = section(report, "kiem-tra")
    assert now["text"] == mine and now["stale"]
    assert f"Các cấp ủy, tổ chức đảng đã tiến hành {held_in(year.G)} cuộc kiểm tra" in now["computed_text"]
    assert "Cấp ủy và các chi bộ đã chủ động tiến hành 2 cuộc kiểm tra" in body(report)
    client.force_login(year.users["off"])
    page = client.get(f"/reports/{report.pk}/").content.decode()
    marked = page.split('id="stale-kiem-tra"')[1].split("</div>")[0]
    assert f"đã tiến hành {held_in(year.G)} cuộc kiểm tra" in marked and 'id="stale-to-chuc"' not in page
    with pytest.raises(ValidationError, match="4. Công tác kiểm tra"):  # not signed while it is marked
        services.report_issue(actor=None, report=report, on=timezone.localdate())
    # the officer writes the new count: saved over the new figures, unmarked
    mine = mine.replace("tiến hành 2 cuộc", f"tiến hành {held_in(year.G)} cuộc")
    services.computed_update(actor=None, report=report, key="kiem-tra", text=mine, version=1)
    report.refresh_from_db()
    assert not section(report, "kiem-tra").get("stale") and report.narrative_versions["kiem-tra"] == 2
    # emptied: the section is the figures' own again, its figures linked
    versions = report.versions.count()
    services.computed_update(actor=None, report=report, key="kiem-tra", text="", version=2)
    report.refresh_from_db()
    back = section(report, "kiem-tra")
    assert back["text"] == now["computed_text"] and not back.get("edited") and "kiem-tra" not in report.edits
    assert any(p.get("measures") for parts in back["paragraphs"] for p in parts)
    last = report.versions.order_by("number").last()
    assert report.versions.count() == versions + 1 and "Công tác kiểm tra, giám sát" in last.change
    assert last.sections == report.sections  # the version keeps the text as it then was


def test_editing_a_computed_section_keeps_its_version_count_and_refuses_a_crossing_save(client, year, draft, queued):
    from dangvu.lib.concurrency import EditConflict

    report = draft(year.G)
    computed = section(report, "to-chuc")["text"]
    with pytest.raises(ValidationError):
        services.computed_update(actor=None, report=report, key="han-che", text="Không phải mục tính.")
    # the computed words themselves, sent back: nothing edited, nothing counted
    services.computed_update(actor=None, report=report, key="to-chuc", text=computed.replace("\n\n", "\r\n"),
                             version=0)
    report.refresh_from_db()
    assert report.edits == {} and report.narrative_versions.get("to-chuc", 0) == 0
    client.force_login(year.users["off"])
    url = f"/reports/{report.pk}/"
    page = client.get(url).content.decode()
    assert 'name="action" value="computed"' in page and 'id="stale-' not in page
    sent = {"action": "computed", "key": "to-chuc", "version": "0", "text": computed + " Lần một."}
    assert client.post(url, sent).status_code == 302
    refused = client.post(url, {**sent, "text": computed + " Lần hai."})
    assert refused.status_code == 409 and "Lần một." in refused.content.decode()
    report.refresh_from_db()
    assert report.edits["to-chuc"]["text"] == computed + " Lần một."
    with pytest.raises(EditConflict):
        services.computed_update(actor=None, report=report, key="to-chuc", text="Lần ba.", version=0)
    # an issued report is frozen; its correction carries the edited wording
    from dangvu.reports.tests.test_reports import ready_to_issue

    ready_to_issue(year, report)
    report = services.report_issue(actor=None, report=report)
    with pytest.raises(ValidationError):
        services.computed_update(actor=None, report=report, key="to-chuc", text="Sửa sau khi ban hành.")
    correction = queued(lambda: services.report_correct(actor=None, report=report))
    assert correction.edits == report.edits
    assert section(correction, "to-chuc")["text"] == computed + " Lần một." and not section(correction, "to-chuc").get("stale")
