"""One participation rule: the campaign page's figures, the not-attended list, the essays
list and the attendance sheet read the same relation, and a fact about a member outside the
days they took part is refused with their name and the date."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from conftest import make_member
from dangvu.essays import services as essay_services
from dangvu.orgs.models import MemberSpan
from dangvu.study import services
from dangvu.study.participation import first_days
from dangvu.study.selectors import campaign_figures, missing_members

D = datetime.date


@pytest.fixture
def campaign(org):
    return services.campaign_create(actor=None, unit=org.G, title="Học tập Nghị quyết 66", documents=[],
                                    units=[org.G], start=D(2026, 3, 1), end=D(2026, 3, 31), essay_required=True,
                                    essay_deadline=D(2026, 4, 30), min_words=5)


def test_a_member_entered_as_already_gone_counts_nowhere_and_the_page_agrees_with_the_list(org, campaign):
    gone = make_member(org.A, "Vi Văn Đi", D(1990, 1, 1), admission_date=D(2026, 3, 10), official_date=None,
                       status="chuyen_di")
    assert MemberSpan.objects.filter(member=gone, start=D(2026, 3, 10), end=D(2026, 3, 10)).count() == 1
    session = services.session_record(actor=None, campaign=campaign, held_on=D(2026, 3, 12))
    services.attendance_record(actor=None, session=session, unit_path=org.G.path,
                               marks={org.sec_member.pk: "present"})
    figures = campaign_figures(campaign, org.G)
    listed = list(missing_members(campaign, org.G))
    # A: sec (present), mem, other; B: out. The one who left the day they came is in neither.
    assert (figures.eligible, figures.attended, figures.missing) == (4, 1, 3)
    assert len(listed) == figures.missing
    assert gone not in listed
    assert set(services.eligible_members(campaign, org.G).values_list("pk", flat=True)) == {
        org.sec_member.pk, org.mem_member.pk, org.other_member.pk, org.out_member.pk}


def test_nobody_is_marked_at_a_session_before_they_took_part(org, campaign):
    late = make_member(org.A, "Nông Văn Muộn", D(1995, 5, 5), admission_date=D(2026, 3, 20), official_date=None,
                       status="du_bi")
    early = services.session_record(actor=None, campaign=campaign, held_on=D(2026, 3, 5))
    with pytest.raises(ValidationError) as refused:
        services.attendance_record(actor=None, session=early, unit_path=org.A.path,
                                   marks={late.pk: "present", org.mem_member.pk: "present"})
    assert refused.value.message_dict["member"] == [
        "Nông Văn Muộn không sinh hoạt tại đây vào ngày 05/03/2026. Chưa lưu gì."]
    assert early.attendance.count() == 0
    on_the_day = set(services.eligible_members(campaign, org.A, on_day=early.held_on).values_list("pk", flat=True))
    assert on_the_day == {org.sec_member.pk, org.mem_member.pk, org.other_member.pk}
    later = services.session_record(actor=None, campaign=campaign, held_on=D(2026, 3, 25))
    assert services.attendance_record(actor=None, session=later, unit_path=org.A.path, marks={late.pk: "present"}) == 1


def test_no_essay_is_handed_in_before_the_writer_took_part(org, campaign):
    late = make_member(org.B, "Lò Thị Sau", D(1996, 6, 6), admission_date=D(2026, 3, 20), official_date=None,
                       status="du_bi")
    assert first_days(campaign, [late.pk, org.mem_member.pk]) == {late.pk: D(2026, 3, 20),
                                                                  org.mem_member.pk: D(2026, 3, 1)}
    text = "Tôi học tập nghị quyết và liên hệ với công việc của chi bộ."
    with pytest.raises(ValidationError) as refused:
        essay_services.essay_submit(actor=None, campaign=campaign, member=late, text=text, today=D(2026, 3, 15))
    assert refused.value.messages == ["Lò Thị Sau tham gia đợt học tập này từ ngày 20/03/2026: không thể nộp bài thu "
                                      "hoạch trước ngày đó."]
    essay = essay_services.essay_submit(actor=None, campaign=campaign, member=late, text=text, today=D(2026, 3, 21))
    assert essay.member_id == late.pk


def test_an_inspection_of_a_member_is_dated_when_they_belonged(org):
    from dangvu.inspections import services as inspections

    with pytest.raises(ValidationError) as refused:
        inspections.inspection_record(actor=None, unit=org.A, kind="inspection", member=org.mem_member,
                                      start=D(2009, 1, 5), end=D(2009, 1, 9), content="Đảng phí")
    assert refused.value.message_dict["subject_id"] == [
        "Lê Văn Cường không sinh hoạt tại Chi bộ thôn Nà Ngoa vào ngày 05/01/2009–09/01/2009."]


def test_a_campaign_counts_for_the_units_taking_part_and_above_never_for_their_siblings(org):
    from dangvu.figures.tests.scenario import unit_named
    from dangvu.lib import measures
    from dangvu.lib.periods import Period
    from dangvu.orgs.models import UnitKind

    h = unit_named(org.P, "Đảng bộ xã Yên Phú", "H", UnitKind.GRASSROOTS)
    services.campaign_create(actor=None, unit=org.P, title="Chuyên đề của tỉnh cho xã Hùng An", documents=[],
                             units=[org.G], start=D(2026, 3, 1), end=D(2026, 3, 31), essay_required=False)
    key = "study.campaigns"
    table = measures.compute_all(org.P, Period.year(2026), [measures.get(key)])[key]
    counted = {u.code: measures.value_at(table, u.path, measures.get(key)).value for u in (org.P, org.G, org.A, h)}
    assert counted == {"P": 1, "G": 1, "A": 1, "H": 0}
