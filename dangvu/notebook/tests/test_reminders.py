"""The daily reminder mail (Django's locmem mail backend): one e-mail per member listing every
area's lines, once a day however often the command runs; nothing without an address or for a
member who left; the command only prints without EMAIL_HOST; the sổ tay shows the same lines."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dangvu.evaluation import services as evaluation_services
from dangvu.lib import reminders
from dangvu.meetings import services as meeting_services
from dangvu.notebook.models import ReminderMail
from dangvu.notebook.reminders import send_reminders
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Change, RoleKind

DAY = datetime.timedelta(days=1)


def _meet(org, day):
    return meeting_services.meeting_schedule(actor=None, unit=org.A, kind="regular", date=day,
                                             start=datetime.time(19, 30), end=datetime.time(21, 0),
                                             place="Nhà văn hóa thôn")


def test_one_mail_a_day_listing_every_area(org, campaign):
    assert reminders.areas() == ["essays", "evaluation", "meetings"]
    today = campaign.essay_deadline - 6 * DAY  # the essay is due within the week
    org.mem_member.email = "cuong@example.vn"
    org.mem_member.save()
    evaluation_services.round_open(actor=None, unit=org.G, title="Đánh giá năm", kind="adhoc",
                                   start=today.replace(month=1, day=1), end=today, deadline=today + 3 * DAY)
    meeting = _meet(org, today + DAY)
    meeting_services.invitation_answer(actor=None, meeting=meeting, member=org.mem_member, answer="attending")
    assert send_reminders(today) == 1
    [sent] = mail.outbox
    assert (sent.to, sent.subject) == (["cuong@example.vn"], "dangvu: việc cần làm")
    tomorrow = today + DAY
    assert sent.body.split("\n") == [
        f"- Bài thu hoạch “Học tập Nghị quyết 66-NQ/TW” cần nộp trước ngày {campaign.essay_deadline:%d/%m/%Y}.",
        f"- Đồng chí hãy điền và nộp bản tự đánh giá cho “Đánh giá năm” (hoàn thành trước ngày "
        f"{today + 3 * DAY:%d/%m/%Y}).",
        f"- Ngày mai, {tomorrow:%d/%m/%Y}, lúc 19:30, chi bộ sinh hoạt tại Nhà văn hóa thôn.",
    ]
    # run again the same day (cron and a restarted housekeeping): nothing twice
    assert send_reminders(today) == 0
    assert ReminderMail.objects.get(member=org.mem_member).sent_on == today
    # the next day, what is still to do is mailed again
    assert send_reminders(today + DAY) == 1
    assert len(mail.outbox) == 2


def test_nothing_without_an_address_or_for_a_member_who_left(org, campaign):
    today = campaign.essay_deadline - 6 * DAY
    org.other_member.email = "dung@example.vn"
    org.other_member.save()
    org_services.member_leave(actor=None, member=org.other_member, reason=Change.DIED,
                              on_date=timezone.localdate())
    # Bình and Cường have no address, Dung died: the essay due is mailed to nobody
    assert send_reminders(today) == 0
    assert mail.outbox == [] and not ReminderMail.objects.exists()


def test_the_command_without_and_with_e_mail(org, settings, capsys):
    org.mem_member.email = "cuong@example.vn"
    org.mem_member.save()
    _meet(org, timezone.localdate() + DAY)
    settings.EMAIL_CONFIGURED = False
    call_command("send_reminders")
    assert "Chưa cấu hình e-mail" in capsys.readouterr().out and mail.outbox == []
    settings.EMAIL_CONFIGURED = True
    call_command("send_reminders")
    call_command("send_reminders")
    assert capsys.readouterr().out.split("\n")[:2] == ["Đã gửi 1 thư nhắc việc.", "Đã gửi 0 thư nhắc việc."]
    assert len(mail.outbox) == 1


def test_the_notebook_shows_the_same_lines(client, org):
    today = timezone.localdate()
    _meet(org, today + DAY)
    evaluation_services.round_open(actor=None, unit=org.G, title="Đánh giá năm", kind="adhoc",
                                   start=today.replace(month=1, day=1), end=today, deadline=today + 3 * DAY)
    client.force_login(org.users["mem"])
    page = client.get("/so-tay/").content.decode()
    box = page[page.index('id="reminders"'):page.index("</ul>", page.index('id="reminders"'))]
    assert f"Ngày mai, {today + DAY:%d/%m/%Y}, lúc 19:30, chi bộ sinh hoạt tại Nhà văn hóa thôn." in box
    assert "Đồng chí hãy trả lời thư mời sinh hoạt chi bộ" in box and "/meetings/" in box
    # the open self-assessment keeps its own box, and is not said twice
    assert "bản tự đánh giá" not in box and 'id="evaluation-reminder"' in page


def test_the_run_reads_each_area_once_a_batch_and_each_member_gets_what_they_alone_would(org, campaign, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangvu.essays import services as essay_services
    from dangvu.evaluation.models import Rating
    from dangvu.lib.reminders import lines_for, lines_for_many
    from dangvu.meetings.models import Meeting
    from dangvu.notebook import reminders as mailer
    from dangvu.orgs.models import Member

    today = campaign.essay_deadline - 6 * DAY
    evaluation_services.round_open(actor=None, unit=org.G, title="Đánh giá năm", kind="adhoc",
                                   start=today.replace(month=1, day=1), end=today, deadline=today + 3 * DAY)
    _meet(org, today + DAY)
    essay = essay_services.essay_submit(actor=None, campaign=campaign, member=org.sec_member, text="Bài.", today=today)
    essay_services.essay_review(actor=None, essay=essay, accept=False, reason="thin")
    essay_services.essay_submit(actor=None, campaign=campaign, member=org.other_member, text="Bài.", today=today)
    org_services.exemption_record(actor=None, member=org.out_member, kind="exempt", start=today - DAY)
    # re-elected: a second secretary's role of the same cell, the first not ended yet
    org_services.role_assign(actor=None, unit=org.A, member=org.sec_member, role=RoleKind.SECRETARY,
                             start=today - DAY)
    everyone = list(Member.objects.select_related("unit").order_by("pk"))
    # a member's lines do not depend on who else is in the batch
    together = lines_for_many(everyone, today)
    assert {m.pk: lines_for(m, today) for m in everyone} == together
    # the secretary: the returned essay, the self-assessment, the cell's proposals, tomorrow's
    # meeting and its invitation; Cường: the essay due and the other three of his own; Dung (essay
    # handed in): three; Em, exempted in B: the essay only (an exemption stops evaluation only)
    assert [len(together[m.pk]) for m in (org.sec_member, org.mem_member, org.other_member, org.out_member)] == [
        5, 4, 3, 1]
    rating = Rating.objects.get(member=org.sec_member)
    meeting = Meeting.objects.get()
    assert [line.url for line in together[org.sec_member.pk]] == [
        f"/so-tay/campaigns/{campaign.pk}/essay/", f"/evaluation/ratings/{rating.pk}/",
        f"/evaluation/rounds/{rating.round_id}/?unit={org.A.pk}", f"/meetings/{meeting.pk}/", f"/meetings/{meeting.pk}/"]

    def run(addressed):
        ReminderMail.objects.all().delete()
        Member.objects.update(email="")
        Member.objects.filter(pk__in=[m.pk for m in addressed]).update(email="x@example.vn")
        with CaptureQueriesContext(connection) as queries:
            sent = send_reminders(today)
        return sent, sum(q["sql"].lstrip().upper().startswith("SELECT") for q in queries)

    one, two, three = (run([org.sec_member]), run([org.sec_member, org.mem_member]),
                       run([org.sec_member, org.mem_member, org.other_member]))
    assert [one[0], two[0], three[0]] == [1, 2, 3]
    # more members mailed: only their claims' writes are added, the areas are read once
    assert one[1] == two[1] == three[1]
    monkeypatch.setattr(mailer, "BATCH", 2)
    # two batches read the areas twice, less the cell's proposals for the second (no secretary in it)
    assert run([org.sec_member, org.mem_member, org.other_member]) == (3, 2 * three[1] - 2)
