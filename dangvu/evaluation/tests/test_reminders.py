"""The evaluation's reminders, mailed by `send_reminders` (Django's locmem mail backend): a
self-assessment not submitted in the round's last week, one returned to correct (whatever the
deadline), the cell secretary's members without a proposal; nothing for a member who left, died,
or is exempted or suspended."""

import datetime

from django.core import mail

from dangvu.evaluation import services
from dangvu.evaluation.models import Rating
from dangvu.notebook.reminders import send_reminders
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Change, Exemption

D = datetime.date
DEADLINE = D(2026, 12, 31)
WEEK_BEFORE, EIGHT_DAYS_BEFORE = D(2026, 12, 24), D(2026, 12, 23)
TASKS = [{"title": "Chuyên môn", "result": "on_time"}]


def _emails(org):
    for member, email in ((org.sec_member, "binh@example.vn"), (org.mem_member, "cuong@example.vn"),
                          (org.other_member, "dung@example.vn"), (org.out_member, "em@example.vn")):
        member.email = email
        member.save()


def _round(org):
    return services.round_open(actor=None, unit=org.G, title="Đánh giá năm 2026", kind="year",
                               start=D(2026, 1, 1), end=D(2026, 12, 31), deadline=DEADLINE)


def _submit(rnd, member):
    return services.assessment_save(actor=None, rating=Rating.objects.get(round=rnd, member=member),
                                    general_points=25, task_points=55, tasks=TASKS)


def _bodies():
    return {m.to[0]: m.body.split("\n") for m in mail.outbox}


def _assess(title="Đánh giá năm 2026"):
    return f"- Đồng chí hãy điền và nộp bản tự đánh giá cho “{title}” (hoàn thành trước ngày 31/12/2026)."


def test_the_last_week_the_returned_self_assessment_and_the_secretarys_cell(org):
    _emails(org)
    rnd = _round(org)
    _submit(rnd, org.mem_member)  # Cường has submitted
    returned = _submit(rnd, org.other_member)
    services.assessment_return(actor=None, rating=returned, reason="Thiếu minh chứng")
    returned_line = ("- Bản tự đánh giá cho “Đánh giá năm 2026” của đồng chí được trả lại để sửa (Thiếu minh chứng): "
                     "hãy sửa và nộp lại trước ngày 31/12/2026.")
    # eight days before the deadline only the returned one is reminded of
    assert send_reminders(EIGHT_DAYS_BEFORE) == 1
    assert _bodies() == {"dung@example.vn": [returned_line]}
    mail.outbox.clear()
    # a week before: Bình (also A's secretary: 3 members without a proposal) and Em (B's, 1)
    assert send_reminders(WEEK_BEFORE) == 3
    assert _bodies() == {
        "binh@example.vn": [_assess(), "- “Đánh giá năm 2026”: Chi bộ thôn Nà Ngoa chưa đề xuất mức xếp loại cho 3 "
                                       "đảng viên (hoàn thành trước ngày 31/12/2026)."],
        "dung@example.vn": [returned_line],
        "em@example.vn": [_assess(), "- “Đánh giá năm 2026”: Chi bộ thôn Bản Mới chưa đề xuất mức xếp loại cho 1 "
                                     "đảng viên (hoàn thành trước ngày 31/12/2026)."],
    }


def test_a_proposal_made_and_a_closed_round_remind_no_more(org):
    _emails(org)
    rnd = _round(org)
    services.proposal_make(actor=None, rating=_submit(rnd, org.out_member), level="good", votes_for=1,
                           votes_against=0)
    assert send_reminders(WEEK_BEFORE) == 3
    assert "em@example.vn" not in _bodies()  # B's one member has a proposal
    services.round_close(actor=None, rnd=rnd)
    mail.outbox.clear()
    assert send_reminders(WEEK_BEFORE + datetime.timedelta(days=1)) == 0


def test_nothing_for_a_member_who_died_or_is_exempted_or_suspended(org, django_capture_on_commit_callbacks):
    _emails(org)
    rnd = _round(org)
    with django_capture_on_commit_callbacks(execute=True):  # the open round follows them once committed
        org_services.exemption_record(actor=None, member=org.mem_member, kind=Exemption.Kind.EXEMPT,
                                      start=D(2026, 12, 1))
        # suspended until before the round's last day: still rated, not reminded while suspended
        org_services.exemption_record(actor=None, member=org.out_member, kind=Exemption.Kind.SUSPENDED,
                                      start=D(2026, 12, 20), end=D(2026, 12, 28))
        org_services.member_leave(actor=None, member=org.other_member, reason=Change.DIED, on_date=D(2026, 12, 1))
    assert Rating.objects.get(round=rnd, member=org.out_member).stage == "open"
    assert send_reminders(WEEK_BEFORE) == 1
    # Bình alone, and her own rating the one of A's without a proposal: Cường is not rated (exempted), Dung died
    assert _bodies() == {"binh@example.vn": [_assess(), "- “Đánh giá năm 2026”: Chi bộ thôn Nà Ngoa chưa đề xuất "
                                                        "mức xếp loại cho 1 đảng viên (hoàn thành trước ngày 31/12/2026)."]}
