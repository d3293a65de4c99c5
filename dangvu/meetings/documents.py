"""The minutes of a cell meeting (biên bản) as .docx, through the engine the reports use."""

from docx.enum.text import WD_ALIGN_PARAGRAPH

from dangvu.documents.letterhead import default_head
from dangvu.lib import partydoc
from dangvu.meetings.models import Meeting, Minutes
from dangvu.meetings.services import SECTION_TITLES, SECTIONS


def minutes_document(meeting: Meeting, minutes: Minutes) -> bytes:
    head = default_head(meeting.unit, meeting.date)
    document = partydoc.new_document()
    partydoc.header_block(document, partydoc.Head(above=head["above"], issuer=head["issuer"], number="",
                                                  place=head["place"], day=meeting.date))
    kind = "sinh hoạt chuyên đề" if meeting.kind == "thematic" else "sinh hoạt chi bộ thường kỳ"
    partydoc.title(document, "BIÊN BẢN", f"{kind} tháng {meeting.date.month} năm {meeting.date.year}"
                   + (f": {meeting.topic}" if meeting.topic else ""))
    partydoc.body(document, [(f"Thời gian: từ {meeting.start:%H} giờ {meeting.start:%M} đến {meeting.end:%H} giờ "
                              f"{meeting.end:%M}, ngày {meeting.date:%d/%m/%Y}. Địa điểm: "
                              f"{meeting.place or meeting.online}.", False)])
    for n, key in enumerate(SECTIONS, 1):
        partydoc.heading(document, f"{n}. {SECTION_TITLES[key]}", 3)
        for paragraph in (minutes.sections.get(key) or "…").split("\n"):
            partydoc.body(document, [(paragraph, False)])
    partydoc.heading(document, f"{len(SECTIONS) + 1}. Nghị quyết", 3)
    for paragraph in (minutes.resolution or "…").split("\n"):
        partydoc.body(document, [(paragraph, False)])
    for vote in meeting.votes.filter(closed=True):
        partydoc.body(document, [(f"Biểu quyết “{vote.question}”: {vote.votes_for} tán thành, {vote.votes_against} "
                                  f"không tán thành, {vote.abstain} không biểu quyết.", False)])
    if minutes.approved:
        partydoc.body(document, [("Biên bản đã được đọc lại trước hội nghị và được hội nghị thông qua.", False)])
    if minutes.version > 1:
        partydoc.body(document, [(f"Phiên bản {minutes.version}: {minutes.reason}", False)])
    partydoc.line(document, "CHỦ TRÌ                                        THƯ KÝ", bold=True,
                  align=WD_ALIGN_PARAGRAPH.CENTER, after=48)
    return partydoc.to_bytes(document)
