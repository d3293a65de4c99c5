"""The year 2026 the figures tests count, shared with the report tests: admissions,
transfers during a campaign, an admission after it, a death and a removal, essays
returned and passed, inspections with a plan, a violation and an overdue recommendation."""

import datetime

from conftest import make_member
from dangvu.essays import services as essay_services
from dangvu.orgs import services as org_services
from dangvu.orgs.models import UnitKind
from dangvu.study import services as study

D = datetime.date


def record_year(o):
    """The year 2026 of the conftest tree `o`, plus a second commune H with cell C."""
    o.H = unit_named(o.P, "Đảng bộ xã Yên Phú", "H", UnitKind.GRASSROOTS)
    o.C = unit_named(o.H, "Chi bộ thôn Nà Mò", "C", UnitKind.CELL)
    o.x = make_member(o.A, "Nông Thị Xuân", D(1996, 4, 4), admission_date=D(2026, 2, 1), official_date=None,
                      status="du_bi")
    o.f = make_member(o.B, "Lục Văn Phúc", D(1994, 1, 1), admission_date=D(2025, 4, 1), official_date=None,
                      status="du_bi")
    o.z = make_member(o.C, "Triệu Văn Zũng", D(1980, 1, 1))
    o.r = make_member(o.B, "Hà Văn Rơi", D(1960, 1, 1))
    org_services.member_leave(actor=None, member=o.r, reason="removed", on_date=D(2025, 10, 10))
    o.campaign = study.campaign_create(actor=None, unit=o.G, title="Học tập Nghị quyết 57", documents=[], units=[o.G],
                                       start=D(2026, 3, 1), end=D(2026, 3, 31), essay_required=True,
                                       essay_deadline=D(2026, 3, 31), min_words=5)
    session = study.session_record(actor=None, campaign=o.campaign, held_on=D(2026, 3, 10))
    study.attendance_record(actor=None, session=session, unit_path=o.G.path, marks={
        o.mem_member.pk: "present", o.x.pk: "present", o.other_member.pk: "present", o.sec_member.pk: "absent"})
    # other_member moves from A to B during the campaign: eligible in both cells, once in G
    org_services.member_transfer(actor=None, member=o.other_member, to_unit=o.B, on_date=D(2026, 3, 15))
    text = "Tôi học tập nghị quyết và liên hệ với công việc của chi bộ thôn."
    for m in (o.mem_member, o.x, o.other_member):
        essay_services.essay_submit(actor=None, campaign=o.campaign, member=m, text=text, today=D(2026, 3, 20))
    e_mem = o.mem_member.essays.get()
    essay_services.essay_review(actor=None, essay=e_mem, accept=False, reason="thin")
    essay_services.essay_submit(actor=None, campaign=o.campaign, member=o.mem_member, text=text + " Sửa lại.",
                       today=D(2026, 3, 25))
    essay_services.essay_review(actor=None, essay=e_mem, accept=True)
    essay_services.essay_review(actor=None, essay=o.other_member.essays.get(), accept=False, reason="copied")
    # after the campaign: an admission into B, a member moving in from the other commune, a death
    o.y = make_member(o.B, "Lý Thị Yến", D(1999, 9, 9), admission_date=D(2026, 5, 1), official_date=None,
                      status="du_bi")
    org_services.member_make_full(actor=None, member=o.f, on_date=D(2026, 4, 2))
    org_services.member_transfer(actor=None, member=o.z, to_unit=o.A, on_date=D(2026, 6, 1))
    org_services.member_leave(actor=None, member=o.out_member, reason="died", on_date=D(2026, 7, 1))
    # inspection: A inspects mem and supervises x; G's commission inspects B (a violation, its
    # recommendation overdue at the year's end) as its plan said; G's plan item for A is not held
    from dangvu.inspections import services as inspections

    inspections.inspection_record(actor=None, unit=o.A, kind="inspection", member=o.mem_member,
                                  start=D(2026, 4, 6), end=D(2026, 4, 8), content="Đảng phí", outcome="good")
    inspections.inspection_record(actor=None, unit=o.A, kind="supervision", member=o.x, start=D(2026, 8, 3),
                                  end=D(2026, 8, 30), content="Nhiệm vụ đảng viên dự bị")
    planned = inspections.plan_item_create(actor=None, unit=o.G, kind="inspection", area="resolutions",
                                           content="Nghị quyết", organisation=o.B, start=D(2026, 5, 1),
                                           end=D(2026, 5, 31), conductor="commission")
    inspections.plan_item_create(actor=None, unit=o.G, kind="inspection", area="dues", content="Đảng phí",
                                 organisation=o.A, start=D(2026, 10, 1), end=D(2026, 10, 31))
    found = inspections.inspection_record(actor=None, unit=o.G, kind="inspection", organisation=o.B,
                                          start=D(2026, 5, 4), end=D(2026, 5, 15), content="Nghị quyết",
                                          conductor="commission", outcome="violation", violation="Chậm triển khai",
                                          plan_item=planned)
    inspections.recommendation_add(actor=None, inspection=found, text="Triển khai ngay", due=D(2026, 6, 30))
    return o


def unit_named(parent, name, code, kind):
    return org_services.unit_create(actor=None, parent=parent, name=name, code=code, kind=kind, valid_from=D(2020, 1, 1))


FULL_MINUTES = {"dues": "Thu đảng phí tháng", "roll_call": "Có mặt đủ", "agenda": "Thông qua chương trình",
                "report": "Báo cáo tình hình thôn", "discussion": "Ý kiến của đảng viên"}


def record_cell_books(o):
    """The first half of 2026 in the cells' own books, after record_year (the property test of
    the dated tree reads them): meetings held at A, B and C with present, late, excused and
    absent marks, B's meeting meeting every criterion; dues paid at A and B, A remitting its
    first quarter to G; B supervising f; G's second-quarter evaluation, x and y not rated
    (admitted under 6 months), mem, z and the cell A decided. All through the services, dated
    in the half."""
    from dangvu.evaluation import services as evaluation
    from dangvu.inspections import services as inspections
    from dangvu.meetings import dues, remittance
    from dangvu.meetings import services as meetings

    evening, nine = datetime.time(19, 30), datetime.time(21, 0)

    def hold(unit, day, marks, kind="regular", approve=False):
        meeting = meetings.meeting_schedule(actor=None, unit=unit, kind=kind, date=day, start=evening, end=nine,
                                            place="Nhà văn hóa thôn", prepared=True,
                                            topic="Chuyển đổi số ở thôn" if kind == "thematic" else "")
        meeting = meetings.attendance_record(actor=None, meeting=meeting,
                                             marks={m.pk: mark for m, mark in marks.items()})  # now held
        if approve:
            meetings.minutes_save(actor=None, meeting=meeting, sections=FULL_MINUTES, resolution="Nghị quyết tháng",
                                  approve=True)
        return meeting

    # A on 10/1: sec, mem, other (x is admitted on 1/2); on 15/4: sec, mem, x (other left on 15/3)
    hold(o.A, D(2026, 1, 10), {o.sec_member: "present", o.mem_member: "present", o.other_member: "excused"})
    hold(o.A, D(2026, 4, 15), {o.sec_member: "present", o.mem_member: "absent", o.x: "late"}, kind="thematic")
    hold(o.B, D(2026, 2, 12), {o.out_member: "present", o.f: "present"}, approve=True)  # every criterion met
    hold(o.C, D(2026, 3, 5), {o.z: "present"})  # z in the other commune, before his move in June
    # dues: sec pays the half in advance (the fixed 5.000), mem 1 % of his salary for January and
    # February; out the half, f two months; A remits part of its first quarter to G in April
    dues.basis_set(actor=None, member=o.mem_member, category="salary", base=6_000_000, valid_from=D(2026, 1, 1))
    dues.dues_pay(actor=None, member=o.sec_member, months=[D(2026, m, 1) for m in range(1, 7)],
                  paid_on=D(2026, 1, 10))
    dues.dues_pay(actor=None, member=o.mem_member, months=[D(2026, 1, 1)], paid_on=D(2026, 1, 10))
    dues.dues_pay(actor=None, member=o.mem_member, months=[D(2026, 2, 1)], paid_on=D(2026, 2, 9))
    dues.dues_pay(actor=None, member=o.out_member, months=[D(2026, m, 1) for m in range(1, 7)],
                  paid_on=D(2026, 2, 12))
    dues.dues_pay(actor=None, member=o.f, months=[D(2026, 1, 1), D(2026, 2, 1)], paid_on=D(2026, 2, 12))
    o.remittance = remittance.remittance_record(actor=None, unit=o.A, to_unit=o.G, first_month=D(2026, 1, 1),
                                                last_month=D(2026, 3, 1), amount=50_000, remitted_on=D(2026, 4, 5))
    # B supervises f, made full in April, in May
    inspections.inspection_record(actor=None, unit=o.B, kind="supervision", member=o.f, start=D(2026, 5, 4),
                                  end=D(2026, 5, 20), content="Nhiệm vụ đảng viên")
    # G rates its members and cells as they stood on 30/6, decided on 1/7
    o.round = evaluation.round_open(actor=None, unit=o.G, title="Đánh giá quý II/2026", kind="quarter",
                                    start=D(2026, 4, 1), end=D(2026, 6, 30))
    tasks = [{"title": "Nhiệm vụ chuyên môn", "result": "on_time"}, {"title": "Nhiệm vụ chi bộ giao",
                                                                     "result": "on_time"}]
    for subject, level, points in ((o.mem_member, "good", (25, 55)), (o.z, "done", (20, 40)),
                                   (o.A, "good", (25, 55))):  # a cell after its members, before its head
        field = "subject_unit" if subject is o.A else "member"
        rating = o.round.ratings.get(**{field: subject})
        evaluation.assessment_save(actor=None, rating=rating, general_points=points[0], task_points=points[1],
                                   tasks=tasks)
        evaluation.proposal_make(actor=None, rating=rating, level=level, votes_for=3, votes_against=0)
        evaluation.decision_make(actor=None, rating=rating, level=level, day=D(2026, 7, 1))
    return o
