"""Class certificates (giấy chứng nhận) as a .docx: one page for each person who completed
the class, for the office to print and sign, or for a member to keep."""

from django.utils import timezone


def certificates_docx(enrolments) -> bytes:
    """A4 pages in Times New Roman, one per completed enrolment, in the order given."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from dangvu.lib import partydoc

    document = partydoc.new_document()  # the reports' engine: A4, 36-HD margins, Times New Roman 14

    def line(text: str, *, bold=False, size=14, align=WD_ALIGN_PARAGRAPH.LEFT, italic=False, space=6):
        return partydoc.line(document, text, size=size, bold=bold, italic=italic, align=align, after=space)

    today = timezone.localdate()
    for n, e in enumerate(enrolments):
        cls, person = e.training_class, e.person
        line(cls.unit.name.upper(), bold=True, size=13)
        line("ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=15, align=WD_ALIGN_PARAGRAPH.RIGHT, space=24)
        line("GIẤY CHỨNG NHẬN", bold=True, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, space=18)
        line(f"{cls.unit.name} chứng nhận:", space=12)
        line(f"Đồng chí: {person.full_name}", bold=True)
        line(f"Ngày sinh: {person.date_of_birth:%d/%m/%Y}")
        line(f"Đơn vị: {person.unit.name}")
        line(f"Đã hoàn thành {cls.programme.name}, {cls.name}, từ ngày {cls.start:%d/%m/%Y} "
             f"đến ngày {cls.end:%d/%m/%Y}{', tại ' + cls.place if cls.place else ''}.")
        if e.score is not None:
            line(f"Kết quả: {str(e.score).replace('.', ',')} điểm.")
        line(f"Số chứng nhận: {e.certificate_number or '……'}", space=24)
        line(f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}", italic=True,
             align=WD_ALIGN_PARAGRAPH.RIGHT)
        line(f"T/M {cls.unit.name.upper()}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space=0)
        line("(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
        if n < len(enrolments) - 1:
            partydoc.page_break(document)
    return partydoc.to_bytes(document)
