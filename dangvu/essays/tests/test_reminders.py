from django.core import mail

from dangvu.essays import services as essay_services
from dangvu.notebook.reminders import send_reminders

from .conftest import DAY, TODAY


def test_reminders_mail_due_and_returned_essays_in_vietnamese(org, campaign):
    for member, email in ((org.mem_member, "cuong@example.vn"), (org.sec_member, "binh@example.vn")):
        member.email = email
        member.save()
    essay = essay_services.essay_submit(actor=None, campaign=campaign, member=org.sec_member, text="Bài.", today=TODAY)
    # Two weeks before the deadline nobody is reminded of an essay not yet due…
    assert send_reminders(campaign.essay_deadline - 14 * DAY) == 0
    essay_services.essay_review(actor=None, essay=essay, accept=False, reason="thin")
    # …a returned essay is; and a week before the deadline, the one not yet submitted.
    assert send_reminders(campaign.essay_deadline - 6 * DAY) == 2
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies == {
        "binh@example.vn": "- Bài thu hoạch “Học tập Nghị quyết 66-NQ/TW” của đồng chí phải làm lại: hãy sửa và nộp lại.",
        "cuong@example.vn": "- Bài thu hoạch “Học tập Nghị quyết 66-NQ/TW” cần nộp trước ngày "
                            f"{campaign.essay_deadline:%d/%m/%Y}.",
    }
