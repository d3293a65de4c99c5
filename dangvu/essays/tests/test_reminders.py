from django.core import mail

from dangvu.essays import services as essay_services
from dangvu.essays.reminders import send_reminders

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
    assert "phải làm lại" in bodies["binh@example.vn"]
    assert campaign.essay_deadline.strftime("%d/%m/%Y") in bodies["cuong@example.vn"]
