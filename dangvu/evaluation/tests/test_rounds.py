"""A round from opening to the decision, through the services and the API: who is rated and
where, the stages in their order, the cap with its base, re-rating, who sees what, and the
figures against rows counted directly at a cell, a commune and the province, this year and
last, and across a merge."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import make_member
from dangvu.evaluation import services
from dangvu.evaluation.models import Decision, Form, Level, Rating, Stage
from dangvu.inspections import services as inspections
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Exemption

D = datetime.date
YEAR = Period(D(2026, 1, 1), D(2026, 12, 31))
LAST_YEAR = Period(D(2025, 1, 1), D(2025, 12, 31))
GOOD_TASKS = [{"title": "Nhiệm vụ chuyên môn", "result": "on_time"}, {"title": "Nhiệm vụ chi bộ giao",
                                                                      "result": "on_time"}]
BEST_TASKS = [{"title": "Nhiệm vụ chuyên môn", "result": "exceeded"}, {"title": "Nhiệm vụ chi bộ giao",
                                                                       "result": "on_time"}]


def open_round(org, year=2026):
    return services.round_open(actor=None, unit=org.G, title=f"Đánh giá, xếp loại năm {year}", kind="year",
                               start=D(year, 1, 1), end=D(year, 12, 31))


def rating_of(rnd, subject):
    field = "subject_unit" if hasattr(subject, "kind") else "member"
    return Rating.objects.get(round=rnd, **{field: subject})


def assess(rnd, subject, points=(27, 60), tasks=GOOD_TASKS, **extra):
    return services.assessment_save(actor=None, rating=rating_of(rnd, subject), general_points=points[0],
                                    task_points=points[1], tasks=tasks, **extra)


def through(rnd, subject, level, points=None, tasks=None):
    """Self-assessed, proposed and decided at `level`."""
    points = points or {Level.EXCELLENT: (28, 65), Level.GOOD: (25, 55), Level.DONE: (20, 40),
                        Level.NOT_DONE: (10, 20)}[level]
    assess(rnd, subject, points, tasks or (BEST_TASKS if level == Level.EXCELLENT else GOOD_TASKS))
    services.proposal_make(actor=None, rating=rating_of(rnd, subject), level=level, votes_for=5, votes_against=0)
    return services.decision_make(actor=None, rating=rating_of(rnd, subject), level=level)


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def rnd(org):
    return open_round(org)


def test_subjects_are_every_member_and_unit_below_with_who_is_not_rated_and_why(org):
    exempt = make_member(org.A, "Đỗ Văn Giang", D(1940, 1, 1))
    org_services.exemption_record(actor=None, member=exempt, kind=Exemption.Kind.EXEMPT, start=D(2024, 3, 1),
                                  reason="Tuổi cao, sức yếu")
    suspended = make_member(org.B, "Vũ Thị Hoa", D(1985, 1, 1))
    org_services.exemption_record(actor=None, member=suspended, kind=Exemption.Kind.SUSPENDED, start=D(2026, 11, 1),
                                  end=D(2027, 2, 1))
    resumed = make_member(org.B, "Vũ Văn Ích", D(1985, 1, 1))  # exempted once, back at work by the year's end
    org_services.exemption_record(actor=None, member=resumed, kind=Exemption.Kind.EXEMPT, start=D(2026, 1, 1),
                                  end=D(2026, 6, 30))
    new = make_member(org.B, "Ngô Văn Khải", D(2000, 1, 1), admission_date=D(2026, 7, 2), official_date=None)
    six_months = make_member(org.B, "Ngô Văn Lâm", D(2000, 1, 1), admission_date=D(2026, 6, 30),
                             official_date=None)
    rnd = open_round(org)
    ratings = {r.member_id: r for r in rnd.ratings.filter(member__isnull=False)}
    units = {r.subject_unit_id: r for r in rnd.ratings.filter(subject_unit__isnull=False)}
    assert (len(units), len(ratings)) == (2, 4 + 5)  # cells A and B; every member
    assert units[org.A.pk].form == Form.COLLECTIVE and units[org.A.pk].decider_id == org.G.pk
    assert (ratings[exempt.pk].stage, ratings[exempt.pk].not_rated) == (Stage.NOT_RATED, "exempt")
    assert ratings[suspended.pk].not_rated == "suspended"
    assert ratings[new.pk].not_rated == "new"
    assert ratings[resumed.pk].stage == Stage.OPEN and ratings[six_months.pk].stage == Stage.OPEN
    assert ratings[org.sec_member.pk].form == Form.LEADER  # the secretary of A: form 2A
    assert ratings[org.mem_member.pk].form == Form.MEMBER
    assert {r.decider_id for r in ratings.values()} == {org.G.pk}  # the đảng ủy cơ sở decides
    assert ratings[org.mem_member.pk].framework.criteria[0]["group"] == "general"


def test_a_member_transferred_in_december_is_rated_at_the_new_cell_with_the_move_noted(org):
    org_services.member_transfer(actor=None, member=org.mem_member, to_unit=org.B, on_date=D(2026, 12, 2))
    rnd = open_round(org)
    rating = rating_of(rnd, org.mem_member)
    assert (rating.unit_id, rating.moved_from_id, rating.moved_on) == (org.B.pk, org.A.pk, D(2026, 12, 2))
    services.previous_comment_save(actor=None, rating=rating, text="Hoàn thành tốt nhiệm vụ ở chi bộ cũ.")
    assert rating_of(rnd, org.mem_member).previous_comment == "Hoàn thành tốt nhiệm vụ ở chi bộ cũ."
    assert rating_of(rnd, org.other_member).moved_from_id is None


def test_a_second_round_of_the_same_kind_over_the_same_members_is_refused(org, rnd):
    with pytest.raises(ValidationError) as exc:
        services.round_open(actor=None, unit=org.P, title="Tỉnh", kind="year", start=D(2026, 1, 1),
                            end=D(2026, 12, 31))
    assert "from" in exc.value.message_dict
    quarter = services.round_open(actor=None, unit=org.P, title="Quý IV", kind="quarter", start=D(2026, 10, 1),
                                  end=D(2026, 12, 31))
    assert quarter.ratings.count() == 1 + 2 + 4  # G, A, B and the members


def test_the_stages_go_in_order_and_a_submitted_assessment_is_returned_to_correct(org, rnd):
    with pytest.raises(ValidationError) as exc:
        services.proposal_make(actor=None, rating=rating_of(rnd, org.mem_member), level=Level.GOOD)
    assert "subject_id" in exc.value.message_dict
    assess(rnd, org.mem_member, submit=False)
    assert rating_of(rnd, org.mem_member).stage == Stage.OPEN  # a draft
    assess(rnd, org.mem_member)
    with pytest.raises(ValidationError):
        assess(rnd, org.mem_member)  # submitted once
    with pytest.raises(ValidationError) as exc:
        services.decision_make(actor=None, rating=rating_of(rnd, org.mem_member), level=Level.GOOD)
    assert "đã đề xuất" in exc.value.messages[0]
    services.assessment_return(actor=None, rating=rating_of(rnd, org.mem_member), reason="Ghi rõ kết quả nhiệm vụ")
    assert rating_of(rnd, org.mem_member).stage == Stage.RETURNED
    assess(rnd, org.mem_member, points=(28, 62))
    rating = rating_of(rnd, org.mem_member)
    assert (rating.stage, rating.points, rating.allowed_level) == (Stage.SUBMITTED, Decimal(90), Level.GOOD)


def test_a_level_above_the_rules_is_refused_naming_the_rule_and_a_lower_one_needs_a_reason(org, rnd):
    assess(rnd, org.mem_member, points=(25, 60), tasks=GOOD_TASKS)  # 85 points
    with pytest.raises(ValidationError) as exc:
        services.proposal_make(actor=None, rating=rating_of(rnd, org.mem_member), level=Level.EXCELLENT)
    assert "dưới 90 điểm" in exc.value.message_dict["level"][0]
    with pytest.raises(ValidationError) as exc:
        services.proposal_make(actor=None, rating=rating_of(rnd, org.mem_member), level=Level.DONE)
    assert "reason" in exc.value.message_dict
    services.proposal_make(actor=None, rating=rating_of(rnd, org.mem_member), level=Level.DONE,
                           reason="Chưa gương mẫu ở nơi cư trú")
    assert rating_of(rnd, org.mem_member).proposed_level == Level.DONE


def test_a_discipline_or_a_conclusion_of_degradation_in_the_period_caps_at_not_done(org, rnd):
    inspections.discipline_record(actor=None, unit=org.A, member=org.mem_member, penalty="khien_trach",
                                  decided_on=D(2026, 5, 1), reason="Vi phạm quy chế làm việc")
    inspections.inspection_record(actor=None, unit=org.A, kind="inspection", member=org.other_member,
                                  start=D(2026, 4, 1), end=D(2026, 4, 5), content="Đạo đức, lối sống",
                                  area="conduct", outcome="violation", violation="Suy thoái đạo đức, lối sống")
    assert assess(rnd, org.mem_member, points=(30, 70), tasks=BEST_TASKS).allowed_level == Level.NOT_DONE
    assert assess(rnd, org.other_member, points=(30, 70), tasks=BEST_TASKS).allowed_level == Level.NOT_DONE
    # a discipline of last year, or one not for a violation of duties, does not count
    inspections.discipline_record(actor=None, unit=org.B, member=org.out_member, penalty="canh_cao",
                                  decided_on=D(2025, 5, 1), reason="Năm trước")
    assert assess(rnd, org.out_member, points=(30, 70), tasks=BEST_TASKS).allowed_level == Level.EXCELLENT


def test_the_collective_is_decided_after_its_members_and_before_its_head(org, rnd):
    assess(rnd, org.A, points=(25, 55))
    services.proposal_make(actor=None, rating=rating_of(rnd, org.A), level=Level.GOOD)
    with pytest.raises(ValidationError) as exc:
        services.decision_make(actor=None, rating=rating_of(rnd, org.A), level=Level.GOOD)
    assert "còn 2 trường hợp chưa quyết định" in exc.value.messages[0]  # mem and other; the secretary comes after
    assess(rnd, org.sec_member)
    services.proposal_make(actor=None, rating=rating_of(rnd, org.sec_member), level=Level.GOOD)
    with pytest.raises(ValidationError) as exc:
        services.decision_make(actor=None, rating=rating_of(rnd, org.sec_member), level=Level.GOOD)
    assert "xếp loại tập thể trước" in exc.value.messages[0]
    through(rnd, org.mem_member, Level.GOOD)
    through(rnd, org.other_member, Level.GOOD)
    services.decision_make(actor=None, rating=rating_of(rnd, org.A), level=Level.GOOD)
    services.decision_make(actor=None, rating=rating_of(rnd, org.sec_member), level=Level.GOOD)
    assert rating_of(rnd, org.sec_member).stage == Stage.DECIDED


def test_a_leader_whose_unit_did_less_than_70_percent_of_its_tasks_is_not_done(org, rnd):
    through(rnd, org.mem_member, Level.GOOD)
    through(rnd, org.other_member, Level.GOOD)
    poor = [{"title": f"Nhiệm vụ {n}", "result": "on_time" if n < 2 else "not_done"} for n in range(4)]
    assess(rnd, org.A, points=(20, 40), tasks=poor)
    services.proposal_make(actor=None, rating=rating_of(rnd, org.A), level=Level.NOT_DONE)
    services.decision_make(actor=None, rating=rating_of(rnd, org.A), level=Level.NOT_DONE)
    assess(rnd, org.sec_member, points=(30, 70), tasks=BEST_TASKS)
    with pytest.raises(ValidationError) as exc:
        services.proposal_make(actor=None, rating=rating_of(rnd, org.sec_member), level=Level.GOOD)
    assert "hoàn thành dưới 70% nhiệm vụ" in exc.value.message_dict["level"][0]


def test_the_cap_is_20_percent_of_those_rated_good_and_says_how_many_places_are_left(org, rnd, settings):
    for n in range(6):
        make_member(org.B, f"Trịnh Văn {n}", D(1980, 1, n + 1))
    rnd = services.round_open(actor=None, unit=org.G, title="Quý IV", kind="quarter", start=D(2026, 10, 1),
                              end=D(2026, 12, 31))
    members = [r.member for r in rnd.ratings.filter(member__isnull=False).exclude(member=org.sec_member)
               .exclude(member=org.out_member).order_by("id")]  # 8 without a leading post
    for member in members[:6]:
        through(rnd, member, Level.GOOD)
    for member in members[6:]:
        assess(rnd, member, (29, 68), BEST_TASKS)
        services.proposal_make(actor=None, rating=rating_of(rnd, member), level=Level.EXCELLENT)
    # 6 rated tốt: e + n ≤ 20 % of (6 + e + n) allows one
    services.decision_make(actor=None, rating=rating_of(rnd, members[6]), level=Level.EXCELLENT)
    with pytest.raises(ValidationError) as exc:
        services.decision_make(actor=None, rating=rating_of(rnd, members[7]), level=Level.EXCELLENT)
    message = exc.value.message_dict["level"][0]
    assert "20%" in message and "(hiện có 6)" in message and "còn 0 chỗ" in message
    settings.EVALUATION_CAP_BASE = "good"  # the other reading: 20 % of the 6 rated tốt, one place, taken
    with pytest.raises(ValidationError):
        services.decision_make(actor=None, rating=rating_of(rnd, members[7]), level=Level.EXCELLENT)
    services.decision_make(actor=None, rating=rating_of(rnd, members[7]), level=Level.GOOD,
                           reason="Vượt quá tỷ lệ")
    assert rnd.ratings.filter(level=Level.EXCELLENT).count() == 1


def test_the_cap_for_units_is_25_percent_with_an_exception_decision(org, rnd):
    from dangvu.documents.services import document_issue
    from dangvu.orgs.models import UnitKind

    cells = [org.A, org.B] + [org_services.unit_create(actor=None, parent=org.G, name=f"Chi bộ {n}", code=f"C{n}",
                                                       kind=UnitKind.CELL, valid_from=D(2020, 1, 1))
                              for n in range(2)]
    rnd = services.round_open(actor=None, unit=org.G, title="Quý IV", kind="quarter", start=D(2026, 10, 1),
                              end=D(2026, 12, 31))
    Rating.objects.filter(round=rnd, member__isnull=False).update(stage=Stage.DECIDED, level=Level.GOOD)
    for cell in cells[:3]:
        through(rnd, cell, Level.GOOD)
    assess(rnd, cells[3], (29, 68), BEST_TASKS)
    services.proposal_make(actor=None, rating=rating_of(rnd, cells[3]), level=Level.EXCELLENT)
    with pytest.raises(ValidationError):  # 20 %: e + n ≤ 0.2 (3 + e + n) allows none
        services.decision_make(actor=None, rating=rating_of(rnd, cells[3]), level=Level.EXCELLENT)
    org.G = org_services.unit_update(actor=None, unit=org.G, symbol="ĐU")
    org_services.term_create(actor=None, unit=org.G, name="2025-2030", congress_closed_on=D(2025, 8, 20))
    decision = document_issue(actor=None, unit=org.G, doc_type="QĐ", issued_on=D(2026, 12, 1),
                              summary="Quyết định về tỷ lệ tổ chức đảng hoàn thành xuất sắc nhiệm vụ")
    services.cap_exception_record(actor=None, rnd=rnd, unit=org.G, decision=decision)
    services.decision_make(actor=None, rating=rating_of(rnd, cells[3]), level=Level.EXCELLENT)  # 25 %: 1 of 4
    assert rating_of(rnd, cells[3]).level == Level.EXCELLENT


def test_a_rerating_keeps_the_first_decision_and_the_figures_follow_the_new_one(org, rnd):
    through(rnd, org.mem_member, Level.GOOD)
    with pytest.raises(ValidationError) as exc:
        services.decision_make(actor=None, rating=rating_of(rnd, org.mem_member), level=Level.DONE)
    assert "reason" in exc.value.message_dict
    services.decision_make(actor=None, rating=rating_of(rnd, org.mem_member), level=Level.DONE,
                           reason="Phát hiện vi phạm sau khi xếp loại")
    decisions = list(Decision.objects.filter(rating=rating_of(rnd, org.mem_member)).values_list(
        "level", "replaced", "rerating"))
    assert decisions == [(Level.GOOD, True, False), (Level.DONE, False, True)]
    assert _value(org.A, YEAR, "evaluation.members_done") == 1
    assert _value(org.A, YEAR, "evaluation.members_good") == 0


def _value(unit, period, key, root=None):
    measure = measures.get(key)
    table = measures.compute_all(root or unit, period, [measure])[key]
    return measures.value_at(table, unit.path, measure).value


def _direct(unit_code: str, year: int, level: str | None = None, members: bool = True,
            stage: str = "decided") -> int:
    """Ratings counted with SQL of their own: the cell each subject stood in on 31/12, looked up
    in the placements by hand, under the unit's path that day."""
    sql = """
        SELECT COUNT(*) FROM evaluation_rating r
        JOIN evaluation_round o ON o.id = r.round_id
        JOIN orgs_unitplacement p ON p.unit_id = r.unit_id AND p.start <= o."end"
             AND (p."end" IS NULL OR p."end" > o."end")
        JOIN orgs_orgunit u ON u.code = %s
        JOIN orgs_unitplacement q ON q.unit_id = u.id AND q.start <= o."end" AND (q."end" IS NULL OR q."end" > o."end")
        WHERE o.kind = 'year' AND o."end" BETWEEN %s AND %s AND r.stage = %s
          AND p.path LIKE q.path || '%%' AND (r.member_id IS NOT NULL) = %s
    """
    params = [unit_code, D(year, 1, 1), D(year, 12, 31), stage, members]
    if level:
        sql += " AND r.level = %s"
        params.append(level)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_figures_match_rows_counted_directly_at_cell_commune_and_province_this_year_last_and_after_a_merge(
        org, settings):
    settings.EVALUATION_CAP = 0.5
    last = open_round(org, 2025)
    through(last, org.other_member, Level.GOOD)
    through(last, org.mem_member, Level.EXCELLENT)
    through(last, org.B, Level.DONE)  # a collective before its head
    through(last, org.out_member, Level.DONE)
    # A and B merge on 1/6/2026: last year's figures stay where they were counted, this year's
    # are counted at the merged cell
    merged = org_services.unit_merge(actor=None, units=[org.A, org.B], name="Chi bộ thôn Hợp Nhất", code="AB",
                                     on_date=D(2026, 6, 1))
    exempt = make_member(merged, "Đỗ Văn Giang", D(1940, 1, 1))
    org_services.exemption_record(actor=None, member=exempt, kind=Exemption.Kind.EXEMPT, start=D(2026, 7, 1))
    this = open_round(org)
    through(this, org.mem_member, Level.GOOD)
    through(this, org.other_member, Level.NOT_DONE)
    through(this, org.out_member, Level.GOOD)
    through(this, org.sec_member, Level.GOOD)
    through(this, merged, Level.GOOD)
    keys = ["evaluation.members_rated", "evaluation.members_excellent", "evaluation.members_good",
            "evaluation.members_done", "evaluation.members_not_done", "evaluation.members_not_rated",
            "evaluation.units_rated", "evaluation.units_good"]
    for period, year in ((YEAR, 2026), (LAST_YEAR, 2025)):
        for unit in (org.A, org.B, merged, org.G, org.P):
            unit.refresh_from_db()
            for key in keys:
                name = key.split(".")[1]
                members = name.startswith("members")
                level = name.split("_", 1)[1]
                stage = "not_rated" if level == "not_rated" else "decided"
                level = None if level in ("rated", "not_rated") else level
                expected = _direct(unit.code, year, level, members, stage)
                assert _value(unit, period, key, root=org.P) == expected, (unit.code, year, key)
    assert [_value(u, LAST_YEAR, "evaluation.members_rated", root=org.P) for u in (org.A, org.B, org.G)] == [
        2, 1, 3]
    assert [_value(u, YEAR, "evaluation.members_rated", root=org.P) for u in (org.A, merged, org.G)] == [0, 4, 4]
    assert _value(org.G, LAST_YEAR, "evaluation.members_excellent", root=org.P) == 1
    assert _value(merged, YEAR, "evaluation.members_not_rated", root=org.P) == 1


# --- the API ------------------------------------------------------------------------------

def test_api_round_assessment_proposal_decision_and_results_contract(client, org):
    client.force_login(org.users["off"])
    response = post(client, f"/api/units/{org.G.pk}/evaluation-rounds",
                    {"title": "Đánh giá năm 2026", "from": "2026-01-01", "to": "2026-12-31", "kind": "year"})
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]
    client.force_login(org.users["mem"])
    url = f"/api/evaluation-rounds/{round_id}"
    body = {"subject": "member", "subject_id": org.mem_member.pk, "general_points": 28, "task_points": 64,
            "tasks": [{"title": "Chuyên môn", "result": "exceeded"}, {"title": "Chi bộ giao", "result": "on_time"}],
            "strengths": "Gương mẫu", "weaknesses": ""}
    bad = post(client, url + "/assessments", {**body, "general_points": 31})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "general_points"
    other = post(client, url + "/assessments", {**body, "subject_id": org.other_member.pk})
    assert other.status_code == 404  # another member's: not theirs, not named
    created = post(client, url + "/assessments", body)
    assert created.status_code == 201
    assert created.json()["allowed_level"] == "excellent"
    client.force_login(org.users["sec"])
    over = post(client, url + "/proposals", {"subject": "member", "subject_id": org.out_member.pk, "level": "good"})
    assert over.status_code == 404  # B's member: outside the secretary of A
    proposal = post(client, url + "/proposals", {"subject": "member", "subject_id": org.mem_member.pk,
                                                 "level": "excellent", "votes_for": 3, "votes_against": 0})
    assert proposal.status_code == 201
    denied = post(client, url + "/decisions", {"subject": "member", "subject_id": org.mem_member.pk,
                                               "level": "excellent"})
    assert denied.status_code == 403  # the cell proposes, the đảng ủy decides
    client.force_login(org.users["off"])
    capped = post(client, url + "/decisions", {"subject": "member", "subject_id": org.mem_member.pk,
                                               "level": "excellent"})
    assert capped.status_code == 422 and capped.json()["errors"][0]["field"] == "level"
    assert "còn 0 chỗ" in capped.json()["errors"][0]["message"]
    decided = post(client, url + "/decisions", {"subject": "member", "subject_id": org.mem_member.pk,
                                                "level": "good", "reason": "Vượt tỷ lệ xuất sắc"})
    assert decided.status_code == 201
    summary = client.get(url).json()
    assert summary["subjects"] == {"members": 4, "units": 2, "not_rated": 0}
    assert summary["by_level"] == {"excellent": 0, "good": 1, "done": 0, "not_done": 0}
    assert (summary["from"], summary["to"], summary["status"]) == ("2026-01-01", "2026-12-31", "open")
    client.force_login(org.users["view"])
    items = client.get(url + "/results").json()["items"]
    row = next(i for i in items if i["subject_id"] == org.mem_member.pk and i["subject"] == "member")
    assert (row["level"], row["points"], row["stage"]) == ("good", None, "decided")  # a viewer: no points
    client.force_login(org.users["mem"])
    mine = client.get(url + "/results").json()["items"]
    assert [(i["subject_id"], i["points"]) for i in mine] == [(org.mem_member.pk, 92.0)]
    client.force_login(org.users["out"])  # B's secretary: the round, for B only
    theirs = client.get(url + f"/results?unit={org.B.pk}").json()["items"]
    assert {(i["subject"], i["subject_id"]) for i in theirs} == {("unit", org.B.pk), ("member", org.out_member.pk)}
    assert client.get(url + f"/results?unit={org.A.pk}").status_code == 404


def test_api_refuses_an_exempt_member_naming_subject_id_and_outsiders_get_404(client, org):
    exempt = make_member(org.A, "Đỗ Văn Giang", D(1940, 1, 1))
    org_services.exemption_record(actor=None, member=exempt, kind=Exemption.Kind.EXEMPT, start=D(2024, 3, 1))
    rnd = open_round(org)
    client.force_login(org.users["sec"])
    url = f"/api/evaluation-rounds/{rnd.pk}/assessments"
    body = {"subject": "member", "subject_id": exempt.pk, "general_points": 20, "task_points": 50, "tasks": [],
            "strengths": "", "weaknesses": ""}
    refused = post(client, url, body)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "subject_id"
    assert "miễn" in refused.json()["errors"][0]["message"].lower()
    client.force_login(org.users["out"])
    assert post(client, url, body).status_code == 404
    outsider = org.users["view"].__class__.objects.create_user(username="ngoai", password="x")
    client.force_login(outsider)
    assert client.get(f"/api/evaluation-rounds/{rnd.pk}").status_code == 404
    assert client.get(f"/api/evaluation-rounds/{rnd.pk}/results").status_code == 404
    assert post(client, f"/api/units/{org.G.pk}/evaluation-rounds",
                {"title": "x", "from": "2026-01-01", "to": "2026-12-31", "kind": "year"}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_large_round_is_listed_by_the_worker_with_progress_and_a_second_run_adds_nothing(client, org, settings):
    from conftest import run_worker
    from dangvu.evaluation.models import Round
    from dangvu.jobs.models import Job

    settings.EVALUATION_INLINE_SUBJECTS = 3  # G has 4 members: the worker lists them
    rnd = open_round(org)
    assert (rnd.status, rnd.ratings.count()) == (Round.Status.PREPARING, 0)
    client.force_login(org.users["off"])
    page = client.get(f"/evaluation/rounds/{rnd.pk}/").content.decode()
    assert 'id="round-status"' in page and "<progress" in page
    run_worker()
    rnd.refresh_from_db()
    job = Job.objects.get(kind="evaluation.subjects", subject_id=rnd.pk)
    assert (rnd.status, rnd.ratings.count(), job.status, job.done, job.total) == ("open", 6, "done", 6, 6)
    assert services.round_list_subjects(rnd) == 6 and rnd.ratings.count() == 6  # a rerun after a lost worker
    assert client.get(f"/evaluation/rounds/{rnd.pk}/?status=1")["HX-Refresh"] == "true"
    assert 'id="stages"' in client.get(f"/evaluation/rounds/{rnd.pk}/").content.decode()


def test_a_province_round_where_the_communes_secretary_sits_in_a_cell_decides_in_one_bulk_pass(org):
    """G's secretary is a member of cell A: A waits for its members but not for G's head, G
    waits for A, and the head comes last (a bulk pass once locked up here)."""
    from dangvu.orgs.models import RoleKind

    org_services.role_assign(actor=None, unit=org.G, member=org.sec_member, role=RoleKind.SECRETARY,
                             start=D(2025, 1, 1))
    rnd = services.round_open(actor=None, unit=org.P, title="Tỉnh", kind="year", start=D(2026, 1, 1),
                              end=D(2026, 12, 31))
    for subject in (org.mem_member, org.other_member, org.sec_member, org.out_member, org.A, org.B, org.G):
        assess(rnd, subject, (25, 55))
        services.proposal_make(actor=None, rating=rating_of(rnd, subject), level=Level.GOOD)
    ratings = list(rnd.ratings.select_related("subject_unit", "member"))
    done, refused = services.decide_all(actor=None, ratings=ratings)
    assert (done, refused) == (7, [])


def test_a_secretary_whose_role_ended_before_the_periods_end_is_not_held_as_a_leader(org):
    from dangvu.orgs.models import RoleKind, UnitRole

    role = UnitRole.objects.get(member=org.sec_member, unit=org.A)
    org_services.role_end(actor=None, unit_role=role, end=D(2026, 3, 1))
    org_services.role_assign(actor=None, unit=org.A, member=org.other_member, role=RoleKind.SECRETARY,
                             start=D(2026, 3, 2))
    rnd = open_round(org)
    assert rating_of(rnd, org.sec_member).form == Form.MEMBER
    assert rating_of(rnd, org.other_member).form == Form.LEADER
    assess(rnd, org.sec_member)
    services.proposal_make(actor=None, rating=rating_of(rnd, org.sec_member), level=Level.GOOD)
    services.decision_make(actor=None, rating=rating_of(rnd, org.sec_member), level=Level.GOOD)  # no wait for A


def test_a_round_opened_by_a_sub_committee_leaves_its_members_to_the_grassroots_committee_above(org):
    from dangvu.orgs.models import UnitKind

    sub = org_services.unit_create(actor=None, parent=org.G, name="Đảng bộ bộ phận Thôn Trên", code="S",
                                   kind=UnitKind.SUB, valid_from=D(2020, 1, 1))
    cell = org_services.unit_create(actor=None, parent=sub, name="Chi bộ Đội 1", code="S1", kind=UnitKind.CELL,
                                    valid_from=D(2020, 1, 1))
    member = make_member(cell, "Lò Văn Sáng", D(1985, 5, 5))
    rnd = services.round_open(actor=None, unit=sub, title="Bộ phận", kind="year", start=D(2026, 1, 1),
                              end=D(2026, 12, 31))
    assert rating_of(rnd, member).decider_id == org.G.pk


def test_the_previous_cell_writes_its_comment_and_sees_nothing_else(client, org):
    org_services.member_transfer(actor=None, member=org.out_member, to_unit=org.A, on_date=D(2026, 11, 20))
    rnd = open_round(org)
    rating = rating_of(rnd, org.out_member)
    assess(rnd, org.out_member, (27, 60))
    from dangvu.orgs.models import RoleKind

    new_secretary = make_member(org.B, "Mai Văn Tâm", D(1980, 3, 3))
    org_services.role_assign(actor=None, unit=org.B, member=new_secretary, role=RoleKind.SECRETARY,
                             start=D(2026, 11, 21))
    new_secretary.user = org.users["view"].__class__.objects.create_user(username="tam", password="x")
    new_secretary.save()
    client.force_login(new_secretary.user)
    page = client.get(f"/evaluation/ratings/{rating.pk}/").content.decode()
    assert 'id="comment-form"' in page and 'id="points"' not in page and "Gương mẫu" not in page
    response = client.post(f"/evaluation/ratings/{rating.pk}/", {"form": "comment",
                                                                  "previous_comment": "Hoàn thành tốt ở chi bộ cũ."})
    assert response.status_code == 302 and rating_of(rnd, org.out_member).previous_comment.startswith("Hoàn thành")
    assert client.post(f"/evaluation/ratings/{rating.pk}/", {"form": "propose", "level": "good"}).status_code == 403


def test_bad_ids_on_the_pages_are_404_or_a_message_never_500(client, org, rnd):
    client.force_login(org.users["off"])
    assert client.get(f"/evaluation/rounds/{rnd.pk}/?unit=abc").status_code == 404
    assert client.get(f"/evaluation/rounds/{rnd.pk}/?unit=99999999999999999999").status_code == 404
    response = client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}", {"form": "decide", "rating": ["x"]},
                           follow=True)
    assert response.status_code == 200 and "Hãy chọn các đề xuất" in response.content.decode()


def test_an_open_round_follows_transfers_exemptions_admissions_and_deaths_made_after_it_opened(
        org, rnd, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        org_services.member_transfer(actor=None, member=org.mem_member, to_unit=org.B, on_date=D(2026, 12, 2))
    moved = rating_of(rnd, org.mem_member)
    assert (moved.unit_id, moved.moved_from_id, moved.moved_on, moved.stage) == (org.B.pk, org.A.pk,
                                                                                 D(2026, 12, 2), Stage.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        org_services.exemption_record(actor=None, member=org.other_member, kind=Exemption.Kind.SUSPENDED,
                                      start=D(2026, 11, 1))
    assert (rating_of(rnd, org.other_member).stage, rating_of(rnd, org.other_member).not_rated) == (
        Stage.NOT_RATED, "suspended")
    with django_capture_on_commit_callbacks(execute=True):
        new = make_member(org.A, "Hà Thị Nhung", D(2001, 1, 1), admission_date=D(2026, 9, 2), official_date=None)
    assert rating_of(rnd, new).not_rated == "new"
    with django_capture_on_commit_callbacks(execute=True):
        org_services.member_leave(actor=None, member=new, reason="died", on_date=D(2026, 12, 1))
    assert not Rating.objects.filter(round=rnd, member=new).exists()
    assert _value(org.A, YEAR, "evaluation.members_not_rated", root=org.P) == 1  # the suspended member


@pytest.mark.django_db(transaction=True)
def test_many_proposals_are_decided_by_the_worker_with_refusals_kept_on_their_rows(client, org, settings):
    from conftest import run_worker
    from dangvu.jobs.models import Job

    settings.EVALUATION_INLINE_DECISIONS = 1
    rnd = open_round(org)
    for member, level in ((org.mem_member, Level.GOOD), (org.other_member, Level.EXCELLENT)):
        assess(rnd, member, (29, 68), BEST_TASKS)
        services.proposal_make(actor=None, rating=rating_of(rnd, member), level=level,
                               reason="" if level == Level.EXCELLENT else "Khiêm tốn")
    client.force_login(org.users["off"])
    chosen = [rating_of(rnd, org.mem_member).pk, rating_of(rnd, org.other_member).pk]
    client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}", {"form": "decide", "rating": chosen})
    assert 'id="deciding-job"' in client.get(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}").content.decode()
    run_worker()
    job = Job.objects.get(kind="evaluation.decide", subject_id=rnd.pk)
    assert (job.status, job.total) == ("done", 2)
    assert rating_of(rnd, org.mem_member).level == Level.GOOD
    refused = rating_of(rnd, org.other_member)  # xuất sắc over the cap of one rated tốt
    assert refused.stage == Stage.PROPOSED and "còn 0 chỗ" in refused.refused_because and not refused.decide_queued
    page = client.get(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}").content.decode()
    assert "còn 0 chỗ" in page and 'id="deciding-job"' not in page


def test_a_years_round_defaults_to_31_12_or_15_01_for_a_sector_that_rates_later_and_the_late_list_follows(
        client, org):
    from unittest import mock

    assert open_round(org).deadline == D(2026, 12, 31)
    later = services.round_open(actor=None, unit=org.G, title="Năm 2025", kind="year", start=D(2025, 1, 1),
                                end=D(2025, 12, 31), rates_later=True)
    assert (later.deadline, later.rates_later) == (D(2026, 1, 15), True)
    typed = services.round_open(actor=None, unit=org.G, title="Năm 2024", kind="year", start=D(2024, 1, 1),
                                end=D(2024, 12, 31), deadline=D(2025, 1, 10), rates_later=True)
    assert typed.deadline == D(2025, 1, 10)  # a typed deadline still wins
    client.force_login(org.users["off"])
    for today, late in ((D(2026, 1, 10), False), (D(2026, 1, 16), True)):
        with mock.patch("dangvu.evaluation.views.timezone.localdate", return_value=today):
            page = client.get(f"/evaluation/rounds/{later.pk}/?unit={org.G.pk}")
        assert page.status_code == 200 and [r["late"] for r in page.context["late"]] == [late, late]
        assert page.context["past_deadline"] is late
    response = post(client, f"/api/units/{org.G.pk}/evaluation-rounds",
                    {"title": "Năm 2023", "from": "2023-01-01", "to": "2023-12-31", "rates_later": True})
    assert response.status_code == 201, response.content
    got = client.get(f"/api/evaluation-rounds/{response.json()['id']}").json()
    assert (got["deadline"], got["rates_later"]) == ("2024-01-15", True)
    page = client.post(f"/units/{org.G.pk}/evaluation/", {"title": "Năm 2022", "kind": "year", "start": "2022-01-01",
                                                          "end": "2022-12-31", "rates_later": "on"})
    assert page.status_code == 302
    from dangvu.evaluation.models import Round
    assert Round.objects.get(title="Năm 2022").deadline == D(2023, 1, 15)


def test_a_quarter_rated_not_done_keeps_the_year_at_done_and_the_refusal_names_it(org):
    quarter = services.round_open(actor=None, unit=org.G, title="Quý II năm 2026", kind="quarter",
                                  start=D(2026, 4, 1), end=D(2026, 6, 30))
    through(quarter, org.mem_member, Level.NOT_DONE)
    through(quarter, org.other_member, Level.DONE)
    rnd = open_round(org)
    assess(rnd, org.mem_member, points=(25, 60))  # 85 points: tốt by the year alone
    assert rating_of(rnd, org.mem_member).allowed_level == Level.DONE
    with pytest.raises(ValidationError) as exc:
        services.proposal_make(actor=None, rating=rating_of(rnd, org.mem_member), level=Level.GOOD)
    assert str(Level.NOT_DONE.label) in exc.value.message_dict["level"][0]
    assess(rnd, org.other_member, points=(28, 65), tasks=BEST_TASKS)  # 93 points: xuất sắc by the year alone
    assert rating_of(rnd, org.other_member).allowed_level == Level.GOOD
    assess(rnd, org.sec_member, points=(28, 65), tasks=BEST_TASKS)  # no quarter rated: the year alone
    assert rating_of(rnd, org.sec_member).allowed_level == Level.EXCELLENT


def test_an_open_round_re_lists_units_founded_merged_or_closed_after_it_opened_and_their_members(
        org, rnd, django_capture_on_commit_callbacks):
    from dangvu.orgs.models import UnitKind

    decided = rating_of(rnd, org.B)
    with django_capture_on_commit_callbacks(execute=True):
        new = org_services.unit_create(actor=None, parent=org.G, name="Chi bộ trường học", code="C",
                                       kind=UnitKind.CELL, valid_from=D(2026, 5, 1))
    created = rating_of(rnd, new)
    assert (created.unit_id, created.decider_id, created.form, created.stage) == (new.pk, org.G.pk, Form.COLLECTIVE,
                                                                                  Stage.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        later = org_services.unit_create(actor=None, parent=org.G, name="Chi bộ năm sau", code="D",
                                         kind=UnitKind.CELL, valid_from=D(2027, 1, 1))
    assert not Rating.objects.filter(round=rnd, subject_unit=later).exists()  # not there on the period's last day
    with django_capture_on_commit_callbacks(execute=True):
        merged = org_services.unit_merge(actor=None, units=[org.A, new], name="Chi bộ thôn Hợp Nhất", code="AC",
                                         on_date=D(2026, 11, 1))
    assert not Rating.objects.filter(round=rnd, subject_unit__in=[org.A, new]).exists()
    assert rating_of(rnd, merged).decider_id == org.G.pk
    assert rating_of(rnd, org.B).pk == decided.pk  # untouched
    moved = rating_of(rnd, org.mem_member)
    assert (moved.unit_id, moved.stage) == (merged.pk, Stage.OPEN)  # carried over by the merge: rated there
    assert rating_of(rnd, org.sec_member).unit_id == merged.pk
