"""The round's paper: the deciding committee's decision (quyết định) listing each subject and
their level, and a subject's self-assessment form (mẫu 01, 2A, 2B, 2C) filled from the record,
both as .docx in the layout of Hướng dẫn 36-HD/VPTW through the engine the reports and the
certificates use; the list as .xlsx."""

import datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH

from dangvu.documents.letterhead import default_head, issuer_of
from dangvu.evaluation.models import Form, Level, Rating, Round
from dangvu.lib import partydoc
from dangvu.lib.numbers import fmt_int
from dangvu.orgs.models import OrgUnit

LEVEL_WORDS = {Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ", Level.GOOD: "Hoàn thành tốt nhiệm vụ",
               Level.DONE: "Hoàn thành nhiệm vụ", Level.NOT_DONE: "Không hoàn thành nhiệm vụ"}
FORM_TITLES = {
    Form.COLLECTIVE: "BÁO CÁO KIỂM ĐIỂM TẬP THỂ",
    Form.LEADER: "BẢN KIỂM ĐIỂM CÁ NHÂN (dùng cho cán bộ lãnh đạo, quản lý)",
    Form.MEMBER: "BẢN KIỂM ĐIỂM CÁ NHÂN (dùng cho đảng viên không giữ chức vụ lãnh đạo, quản lý)",
    Form.OUTSIDE: "BẢN KIỂM ĐIỂM CÁ NHÂN (dùng cho đảng viên làm việc ngoài hệ thống chính trị)",
}
BASIS = ["Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
         "Căn cứ Quy định số 366-QĐ/TW, ngày 30/8/2025 của Bộ Chính trị về kiểm điểm, đánh giá, xếp loại chất "
         "lượng hằng năm đối với tập thể, cá nhân trong hệ thống chính trị;",
         "Căn cứ Hướng dẫn số 43-HD/BTCTW, ngày 31/10/2025 của Ban Tổ chức Trung ương;"]


def points_text(value) -> str:
    return "" if value is None else f"{value:n}".replace(".", ",")


def decision_rows(ratings) -> list[list[str]]:
    # the levels only: points and forms stay with the member, the cell's leaders and the deciders
    rows = [["TT", "Họ và tên / Tổ chức đảng", "Đơn vị", "Mức xếp loại"]]
    for n, r in enumerate(ratings, 1):
        rows.append([str(n), str(r.subject), r.unit.name if r.member_id else "", LEVEL_WORDS.get(r.level, "")])
    return rows


def decision_docx(rnd: Round, decider: OrgUnit, ratings: list[Rating], number: str, day: datetime.date) -> bytes:
    """The committee's decision: the bases, Điều 1 with the count by level, Điều 2 and 3, the
    signature block, and the list by name on the pages after it."""
    head = default_head(decider, day)
    document = partydoc.new_document()
    partydoc.header_block(document, partydoc.Head(above=head["above"], issuer=head["issuer"], number=number,
                                                  place=head["place"], day=day))
    members = any(r.member_id for r in ratings)
    whom = "đảng viên" if members else "tổ chức đảng"
    partydoc.title(document, "QUYẾT ĐỊNH", f"về việc xếp loại chất lượng {whom} năm {rnd.end.year}")
    partydoc.line(document, issuer_of(decider).upper(), bold=True, after=6)
    for text in BASIS + [f"Xét đề nghị của các {'chi bộ' if members else 'cấp ủy trực thuộc'} và kết quả thẩm định,"]:
        partydoc.body(document, [(f"- {text}", False)])
    partydoc.line(document, "QUYẾT ĐỊNH", bold=True, after=6)
    counts = {level: sum(r.level == level for r in ratings) for level in LEVEL_WORDS}
    total = len(ratings)
    parts = [f"{fmt_int(n)} {'đồng chí' if members else 'tổ chức'} {words.lower()}"
             for level, words in LEVEL_WORDS.items() if (n := counts[level])]
    partydoc.body(document, [(f"Điều 1. Xếp loại chất lượng năm {rnd.end.year} đối với {fmt_int(total)} {whom} "
                              f"(có danh sách kèm theo), trong đó: {'; '.join(parts)}.", False)])
    partydoc.body(document, [("Điều 2. Kết quả xếp loại là căn cứ để đánh giá, bình xét khen thưởng và thực hiện "
                              "các chế độ, chính sách theo quy định.", False)])
    partydoc.body(document, [(f"Điều 3. Các {'chi bộ' if members else 'tổ chức đảng'} có tên tại Điều 1 và các "
                              "đồng chí có liên quan chịu trách nhiệm thi hành Quyết định này.", False)])
    partydoc.signature(document, recipients=["- Như Điều 3;"] + head["recipients"], on_behalf=head["on_behalf"],
                       signer_title=head["signer_title"], signer=head["signer"])
    partydoc.page_break(document)
    partydoc.line(document, f"DANH SÁCH XẾP LOẠI CHẤT LƯỢNG {whom.upper()} NĂM {rnd.end.year}", bold=True)
    partydoc.line(document, f"(Kèm theo Quyết định {number} ngày {day:%d/%m/%Y})", italic=True, after=6)
    partydoc.grid(document, decision_rows(ratings), size=11, first_mm=10)
    return partydoc.to_bytes(document)


def form_docx(rating: Rating) -> bytes:
    """A subject's self-assessment form, filled from the record, for printing and signing."""
    day = rating.submitted_at.date() if rating.submitted_at else datetime.date.today()
    document = partydoc.new_document()
    unit = rating.unit
    partydoc.line(document, unit.name.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    partydoc.line(document, partydoc.PARTY, bold=True, size=15, align=WD_ALIGN_PARAGRAPH.RIGHT)
    partydoc.line(document, partydoc.date_line(default_head(unit, day)["place"], day), italic=True,
                  align=WD_ALIGN_PARAGRAPH.RIGHT, after=12)
    partydoc.line(document, FORM_TITLES[rating.form].split(" (")[0], size=16, bold=True)
    if "(" in FORM_TITLES[rating.form]:
        partydoc.line(document, "(" + FORM_TITLES[rating.form].split(" (", 1)[1], italic=True)
    partydoc.line(document, f"Năm {rating.round.end.year}", bold=True, after=12)
    if rating.member_id:
        member = rating.member
        for text in (f"Họ và tên: {member.full_name}        Ngày sinh: {member.date_of_birth:%d/%m/%Y}",
                     f"Chi bộ: {unit.name}"):
            partydoc.body(document, [(text, False)])
    else:
        partydoc.body(document, [(f"Tổ chức đảng: {rating.subject_unit.name}", False)])
    sections = [("I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", rating.strengths),
                ("II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", rating.weaknesses),
                ("III. KẾT QUẢ KHẮC PHỤC NHỮNG HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN HOẶC ĐƯỢC "
                 "CHỈ RA Ở CÁC KỲ KIỂM ĐIỂM TRƯỚC", rating.remedies),
                ("IV. PHƯƠNG HƯỚNG, BIỆN PHÁP KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM", rating.direction)]
    for heading, text in sections:
        partydoc.heading(document, heading, 3)
        for paragraph in (text or "…").split("\n"):
            partydoc.body(document, [(paragraph, False)])
    partydoc.heading(document, "V. KẾT QUẢ THỰC HIỆN NHIỆM VỤ VÀ TỰ CHẤM ĐIỂM", 3)
    rows = [["TT", "Nhiệm vụ", "Kết quả"]] + [[str(n), t.title, t.get_result_display()]
                                              for n, t in enumerate(rating.tasks.all(), 1)]
    partydoc.grid(document, rows, size=12, first_mm=10)
    partydoc.body(document, [(f"Điểm các tiêu chí chung: {points_text(rating.general_points)}/30; điểm kết quả "
                              f"thực hiện nhiệm vụ: {points_text(rating.task_points)}/70; tổng: "
                              f"{points_text(rating.points)}/100.", False)])
    partydoc.heading(document, "VI. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG", 3)
    partydoc.body(document, [(LEVEL_WORDS.get(rating.allowed_level, "…"), False)])
    partydoc.line(document, "NGƯỜI TỰ KIỂM ĐIỂM" if rating.member_id else "T/M CẤP ỦY", bold=True,
                  align=WD_ALIGN_PARAGRAPH.RIGHT, after=48)
    partydoc.line(document, rating.member.full_name if rating.member_id else "", bold=True,
                  align=WD_ALIGN_PARAGRAPH.RIGHT)
    return partydoc.to_bytes(document)
