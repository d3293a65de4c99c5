"""The pages on a phone's path: a member fills and submits on the sổ tay, the secretary
proposes after the meeting, the đảng ủy decides in bulk and hits the cap; who sees what."""

import datetime

from dangvu.evaluation import services
from dangvu.evaluation.models import Level, Rating, Stage

D = datetime.date


def _round(org):
    return services.round_open(actor=None, unit=org.G, title="Đánh giá, xếp loại năm 2026", kind="year",
                               start=D(2026, 1, 1), end=D(2026, 12, 31))


def _fill(client, rating, points=("27", "63"), results=("exceeded", "on_time"), submit=True):
    body = {"form": "assess", "general_points": points[0], "task_points": points[1], "strengths": "Gương mẫu",
            "weaknesses": "", "remedies": "", "remedied": "unknown", "direction": "Tiếp tục phát huy"}
    for n, result in enumerate(results, 1):
        body[f"task_title_{n}"] = f"Nhiệm vụ {n}"
        body[f"task_result_{n}"] = result
    if submit:
        body["submit"] = "1"
    return client.post(f"/evaluation/ratings/{rating.pk}/", body)


def test_member_secretary_and_committee_through_the_pages(client, org):
    rnd = _round(org)
    mine = Rating.objects.get(round=rnd, member=org.mem_member)
    client.force_login(org.users["mem"])
    home = client.get("/so-tay/").content.decode()
    assert 'id="evaluation-reminder"' in home and f"/evaluation/ratings/{mine.pk}/" in home
    page = client.get(f"/evaluation/ratings/{mine.pk}/")
    assert page.status_code == 200 and 'id="assessment-form"' in page.content.decode()
    bad = _fill(client, mine, points=("31", "63"))
    assert bad.status_code == 200 and 'id="assessment-form"' in bad.content.decode()
    assert Rating.objects.get(pk=mine.pk).stage == Stage.OPEN
    assert _fill(client, mine, submit=False).status_code == 302
    assert Rating.objects.get(pk=mine.pk).stage == Stage.OPEN  # a draft, kept
    assert _fill(client, mine).status_code == 302
    mine.refresh_from_db()
    assert (mine.stage, mine.points, mine.allowed_level, mine.on_behalf) == (Stage.SUBMITTED, 90, Level.EXCELLENT,
                                                                             False)
    other = Rating.objects.get(round=rnd, member=org.other_member)
    assert client.get(f"/evaluation/ratings/{other.pk}/").status_code == 404  # another member's
    # the secretary enters the other member's paper form and proposes both after the meeting
    client.force_login(org.users["sec"])
    assert _fill(client, other, points=("25", "55"), results=("on_time",)).status_code == 302
    assert Rating.objects.get(pk=other.pk).on_behalf is True
    assert "<h2>Ưu điểm</h2>" in client.get(f"/evaluation/ratings/{other.pk}/").content.decode()  # a heading's capital
    for rating, level in ((mine, "excellent"), (other, "good")):
        response = client.post(f"/evaluation/ratings/{rating.pk}/", {"form": "propose", "level": level,
                                                                      "votes_for": "3", "votes_against": "0"})
        assert response.status_code == 302
    over = client.post(f"/evaluation/ratings/{other.pk}/", {"form": "propose", "level": "excellent"})
    assert "dưới 90 điểm" in over.content.decode()
    cell = client.get(f"/evaluation/rounds/{rnd.pk}/?unit={org.A.pk}").content.decode()
    assert 'id="subjects"' in cell and org.mem_member.full_name in cell and org.out_member.full_name not in cell
    assert client.get(f"/evaluation/rounds/{rnd.pk}/?unit={org.B.pk}").status_code == 404
    assert client.post(f"/evaluation/ratings/{mine.pk}/", {"form": "decide", "level": "good"}).status_code == 403
    # the đảng ủy decides both in one go: tốt first, then the cap refuses xuất sắc (1 rated tốt)
    client.force_login(org.users["off"])
    table = client.get(f"/evaluation/rounds/{rnd.pk}/").content.decode()
    assert 'id="cap"' in table and 'data-left="0"' in table
    response = client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}",
                           {"form": "decide", "rating": [str(mine.pk), str(other.pk)]}, follow=True)
    text = response.content.decode()
    assert Rating.objects.get(pk=other.pk).level == Level.GOOD
    assert Rating.objects.get(pk=mine.pk).stage == Stage.PROPOSED
    assert org.mem_member.full_name in text and "20%" in text
    assert client.post(f"/evaluation/ratings/{mine.pk}/", {"form": "decide", "level": "good",
                                                            "reason": "Vượt tỷ lệ"}).status_code == 302
    # the member sees the level on the sổ tay; a viewer sees the level, not the points
    client.force_login(org.users["mem"])
    home = client.get("/so-tay/").content.decode()
    assert 'id="evaluation-reminder"' not in home and str(Level.GOOD.label) in home
    own = client.get(f"/evaluation/ratings/{mine.pk}/").content.decode()
    assert 'id="level"' in own and 'id="points"' in own
    client.force_login(org.users["view"])
    seen = client.get(f"/evaluation/ratings/{mine.pk}/").content.decode()
    assert 'id="level"' in seen and 'id="points"' not in seen
    pending = Rating.objects.get(round=rnd, member=org.out_member)
    assert client.get(f"/evaluation/ratings/{pending.pk}/").status_code == 403  # not decided: nothing to read


def test_the_decision_is_issued_in_the_register_and_the_form_and_list_download(client, org):
    import io

    import openpyxl
    from docx import Document as read_docx

    from dangvu.documents.models import Document
    from dangvu.evaluation.tests.test_rounds import through
    from dangvu.orgs import services as org_services

    rnd = _round(org)
    through(rnd, org.mem_member, Level.GOOD)
    through(rnd, org.other_member, Level.DONE)
    client.force_login(org.users["off"])
    refused = client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}", {"form": "publish"}, follow=True)
    assert "ký hiệu" in refused.content.decode()  # G has no document symbol yet: said, nothing issued
    assert not Document.objects.exists()
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=D(2025, 8, 20))
    response = client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}", {"form": "publish"})
    doc = Document.objects.get()
    assert response.status_code == 302 and (doc.doc_type, doc.number, doc.reference) == ("QĐ", 1, "01-QĐ/ĐU")
    decision = read_docx(io.BytesIO(doc.file.read()))
    text = "\n".join(p.text for p in decision.paragraphs)
    assert "QUYẾT ĐỊNH" in text and "Điều 1. Xếp loại chất lượng năm 2026 đối với 2 đảng viên" in text
    assert "1 đồng chí hoàn thành tốt nhiệm vụ; 1 đồng chí hoàn thành nhiệm vụ" in text
    names = {row.cells[1].text for row in decision.tables[-1].rows[1:]}
    assert [c.text for c in decision.tables[-1].rows[0].cells] == ["TT", "Họ và tên / Tổ chức đảng", "Đơn vị",
                                                                   "Mức xếp loại"]  # levels, never points
    assert names == {org.mem_member.full_name, org.other_member.full_name}
    again = client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}", {"form": "publish"}, follow=True)
    assert Document.objects.count() == 1 and "đã có trong quyết định" in again.content.decode()
    download = client.get(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}&format=xlsx")
    assert download["Content-Type"].endswith("sheet"), download.content[:600]
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    listed = {row[0]: row[6] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert listed[org.mem_member.full_name] == "Hoàn thành tốt nhiệm vụ"
    form = client.get(f"/evaluation/ratings/{Rating.objects.get(round=rnd, member=org.mem_member).pk}/?format=docx")
    paragraphs = [p.text for p in read_docx(io.BytesIO(form.content)).paragraphs]
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in paragraphs and f"Họ và tên: {org.mem_member.full_name}" in " ".join(
        paragraphs)
    client.force_login(org.users["view"])  # a reader of levels: no forms, no points in the list
    assert client.get(f"/evaluation/ratings/{Rating.objects.get(round=rnd, member=org.mem_member).pk}/"
                      "?format=docx")["Content-Type"].startswith("text/html")


def test_streaks_count_consecutive_years_rated_excellent():
    from dangvu.evaluation.streaks import run_back

    assert run_back({2022, 2023, 2024, 2025, 2026}, 2026) == 5
    assert run_back({2022, 2023, 2025, 2026}, 2026) == 2
    assert run_back({2025}, 2026) == 0


def test_an_exemption_and_a_discipline_recorded_on_the_pages_reach_the_round(client, org):
    from dangvu.inspections.models import Discipline

    client.force_login(org.users["sec"])
    response = client.post(f"/members/{org.other_member.pk}/event/", {
        "event": "exempt", "date": "01/03/2026", "note": "Tuổi cao, sức yếu"})
    assert response.status_code == 302
    assert "Miễn công tác và sinh hoạt đảng" in client.get(f"/members/{org.other_member.pk}/").content.decode()
    response = client.post(f"/units/{org.A.pk}/inspections/", {
        "form": "discipline", "discipline-subject_member": org.mem_member.pk, "discipline-penalty": "canh_cao",
        "discipline-decided_on": "2026-04-02", "discipline-duty_related": "on",
        "discipline-reason": "Vi phạm quy chế làm việc"})
    assert response.status_code == 302 and Discipline.objects.get().subject_member == org.mem_member
    rnd = _round(org)
    assert Rating.objects.get(round=rnd, member=org.other_member).not_rated == "exempt"
    rating = services.assessment_save(actor=None, rating=Rating.objects.get(round=rnd, member=org.mem_member),
                                      general_points=30, task_points=70,
                                      tasks=[{"title": "Chuyên môn", "result": "exceeded"}])
    assert rating.allowed_level == Level.NOT_DONE


def test_a_committee_sets_its_own_criteria_and_a_rating_keeps_the_version_it_used(client, org):
    from dangvu.evaluation.frameworks import framework_for

    rnd = _round(org)
    before = Rating.objects.get(round=rnd, member=org.mem_member).framework
    client.force_login(org.users["off"])
    wrong = client.post(f"/units/{org.G.pk}/evaluation/criteria/", {
        "form_kind": "2B", "criteria": "chung | Tư tưởng chính trị | 25\nnhiệm vụ | Chuyên môn | 70"})
    assert "Tổng điểm các tiêu chí chung là 25; phải bằng 30." in wrong.content.decode()
    garbled = client.post(f"/units/{org.G.pk}/evaluation/criteria/", {"form_kind": "2B", "criteria": "chung 30"})
    assert "Dòng 1" in garbled.content.decode()
    response = client.post(f"/units/{org.G.pk}/evaluation/criteria/", {
        "form_kind": "2B", "criteria": "chung | Tư tưởng chính trị | 30\nnhiệm vụ | Chuyên môn | 40\n"
                                       "nhiệm vụ | Nhiệm vụ chi bộ giao | 30"})
    assert response.status_code == 302
    mine = framework_for(org.A, "2B")
    assert (mine.unit_id, mine.version, len(mine.criteria)) == (org.G.pk, 1, 3)
    assert Rating.objects.get(round=rnd, member=org.mem_member).framework == before  # kept its version
    client.force_login(org.users["sec"])  # a cell reads them, cannot set them
    assert client.post(f"/units/{org.A.pk}/evaluation/criteria/", {"form_kind": "2B", "criteria": ""}).status_code \
        == 200 and framework_for(org.A, "2B") == mine


def test_the_exception_decision_and_closing_the_round_on_its_page(client, org):
    from dangvu.documents.services import document_issue
    from dangvu.evaluation.models import CapException, Round
    from dangvu.orgs import services as org_services

    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=D(2025, 8, 20))
    rnd = _round(org)
    decision = document_issue(actor=None, unit=org.G, doc_type="QĐ", issued_on=D(2026, 11, 1),
                              summary="Về tỷ lệ tổ chức đảng hoàn thành xuất sắc nhiệm vụ")
    client.force_login(org.users["off"])
    page = client.get(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}").content.decode()
    assert 'id="exception-form"' in page and decision.reference in page
    client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}", {"form": "exception", "decision": decision.pk})
    assert CapException.objects.get(round=rnd).decision == decision
    client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}", {"form": "close"})
    assert Round.objects.get(pk=rnd.pk).status == Round.Status.CLOSED
    rating = Rating.objects.get(round=rnd, member=org.mem_member)
    client.force_login(org.users["mem"])
    closed = client.post(f"/evaluation/ratings/{rating.pk}/", {"form": "assess", "general_points": "20",
                                                                "task_points": "50", "remedied": "unknown",
                                                                "submit": "1"})
    assert closed.status_code == 200 and Rating.objects.get(pk=rating.pk).stage == Stage.OPEN


def test_the_years_rating_shows_the_quarters_it_weighs_and_the_round_its_dossier_date(client, org):
    from dangvu.evaluation.tests.test_rounds import through

    quarter = services.round_open(actor=None, unit=org.G, title="Quý III năm 2026", kind="quarter",
                                  start=D(2026, 7, 1), end=D(2026, 9, 30))
    through(quarter, org.mem_member, Level.GOOD)
    year = _round(org)
    client.force_login(org.users["mem"])
    page = client.get(f"/evaluation/ratings/{Rating.objects.get(round=year, member=org.mem_member).pk}/")
    assert "Quý III năm 2026: Hoàn thành tốt nhiệm vụ" in page.content.decode()
    client.force_login(org.users["off"])
    assert "hồ sơ gửi cấp trên trước ngày 01/02/2027" in client.get(f"/evaluation/rounds/{year.pk}/").content.decode()
