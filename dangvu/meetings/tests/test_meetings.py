"""Cell meetings: the quality criteria one by one, exempt members, three excused absences in a
row, the vote thresholds on the official base, ballot secrecy, the minutes' lock, the alerts,
the API contract, and the figures against rows counted directly."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import make_member
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.meetings import services
from dangvu.meetings.alerts import absence_alerts
from dangvu.meetings.models import Minutes
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Exemption

D, T = datetime.date, datetime.time
YEAR = Period(D(2026, 1, 1), D(2026, 12, 31))
LAST_YEAR = Period(D(2025, 1, 1), D(2025, 12, 31))
FULL_MINUTES = {k: "Nội dung" for k in services.SECTIONS}


EVENING, NINE = T(19, 30), T(21, 0)


def meet(unit, day, kind="regular", start=EVENING, end=NINE, prepared=True):
    return services.meeting_schedule(actor=None, unit=unit, kind=kind, date=day, start=start, end=end,
                                     place="Nhà văn hóa thôn", topic="Chuyên đề" if kind == "thematic" else "",
                                     prepared=prepared)


def hold(meeting, marks, approve=True):
    meeting = services.attendance_record(actor=None, meeting=meeting, marks=marks)
    if approve:
        services.minutes_save(actor=None, meeting=meeting, sections=FULL_MINUTES, resolution="Nghị quyết",
                              approve=True)
    meeting.refresh_from_db()
    return meeting


def all_present(org, **overrides):
    marks = {org.sec_member.pk: "present", org.mem_member.pk: "present", org.other_member.pk: "present"}
    marks.update({m.pk: v for m, v in overrides.items()})
    return marks


def test_a_meeting_that_meets_every_criterion_and_each_criterion_failing_alone(org):
    good = hold(meet(org.A, D(2026, 1, 10)), all_present(org))
    assert (good.quality_met, good.quality_failed) == (True, [])
    # attendance must be above 85 %: 2 of 3 present is not
    low = hold(meet(org.A, D(2026, 2, 10)), all_present(org, **{}) | {org.other_member.pk: "excused"})
    assert low.quality_failed == ["attendance"]
    absent = hold(meet(org.A, D(2026, 3, 10)), all_present(org) | {org.other_member.pk: "absent"})
    assert absent.quality_failed == ["attendance", "absent_unexcused"]
    unprepared = hold(meet(org.A, D(2026, 4, 10), prepared=False), all_present(org))
    assert unprepared.quality_failed == ["prepared"]
    short = hold(meet(org.A, D(2026, 5, 10), end=T(20, 59)), all_present(org))
    assert short.quality_failed == ["duration"]
    draft = hold(meet(org.A, D(2026, 6, 10)), all_present(org), approve=False)
    assert draft.quality_failed == ["minutes"]


def test_an_exempt_member_is_not_required_and_late_counts_as_present(org):
    old = make_member(org.A, "Đỗ Văn Giang", D(1940, 1, 1))
    org_services.exemption_record(actor=None, member=old, kind=Exemption.Kind.EXEMPT, start=D(2025, 1, 1))
    for n in range(4):
        make_member(org.A, f"Vũ Văn {n}", D(1985, 1, n + 1))
    meeting = meet(org.A, D(2026, 7, 10))
    required = {a.member_id: a.required for a in meeting.attendance.all()}
    assert required[old.pk] is False and sum(required.values()) == 7
    marks = {m: "present" for m, req in required.items() if req}
    marks[org.mem_member.pk] = "late"
    marks[old.pk] = "excused"  # an exempt member's absence counts for nothing
    held = hold(meeting, marks)
    assert held.quality_met
    marks[org.other_member.pk] = "excused"  # 6/7 = 85.7 % > 85 %
    assert services.attendance_record(actor=None, meeting=meeting, marks=marks).quality_met


def test_more_than_three_excused_absences_in_a_row_in_the_year_fail_the_criterion(org):
    for n in range(5):
        make_member(org.A, f"Vũ Văn {n}", D(1985, 1, n + 1))  # 8 members: one away is 87.5 %
    days = [D(2026, m, 10) for m in range(1, 6)]
    results = []
    for day in days:
        meeting = meet(org.A, day)
        marks = {a.member_id: "present" for a in meeting.attendance.all()}
        marks[org.other_member.pk] = "excused"
        results.append("excused_in_a_row" in hold(meeting, marks).quality_failed)
    assert results == [False, False, False, True, True]  # the 4th and 5th in a row


def test_votes_pass_on_the_cells_official_members_not_those_present(org):
    new = make_member(org.A, "Hà Văn Nam", D(2000, 1, 1), admission_date=D(2026, 1, 5), official_date=None)
    meeting = hold(meet(org.A, D(2026, 8, 10)), all_present(org) | {new.pk: "present"})
    two_thirds = services.vote_open(actor=None, meeting=meeting, question="Kết nạp quần chúng A", secret=False,
                                    rule="two_thirds")
    assert two_thirds.base == 3  # the probationary member is not of the base
    with pytest.raises(ValidationError):  # 4 counted, 3 full members present
        services.vote_close(actor=None, vote=two_thirds, counts={"for": 2, "against": 1, "abstain": 1})
    with pytest.raises(ValidationError):  # the three counts, always
        services.vote_close(actor=None, vote=two_thirds, counts={"for": 2})
    closed = services.vote_close(actor=None, vote=two_thirds, counts={"for": 2, "against": 1, "abstain": 0})
    assert services.passed(closed)  # 2 of 3 official members: two thirds
    majority = services.vote_open(actor=None, meeting=meeting, question="Kỷ luật", secret=False, rule="majority")
    assert not services.passed(services.vote_close(actor=None, vote=majority,
                                                   counts={"for": 1, "against": 0, "abstain": 2}))


def test_a_secret_ballot_stores_nothing_that_links_it_to_its_voter_and_one_each(org):
    new = make_member(org.A, "Hà Văn Nam", D(2000, 1, 1), admission_date=D(2026, 1, 5), official_date=None)
    meeting = hold(meet(org.A, D(2026, 9, 10)), all_present(org) | {new.pk: "present"})
    vote = services.vote_open(actor=None, meeting=meeting, question="Bầu bí thư", secret=True, rule="majority")
    for member, choice in ((org.sec_member, "for"), (org.mem_member, "against"), (org.other_member, "for")):
        services.ballot_cast(vote=vote, member=member, choice=choice)
    with pytest.raises(services.AlreadyVoted):
        services.ballot_cast(vote=vote, member=org.mem_member, choice="for")
    with pytest.raises(ValidationError):
        services.ballot_cast(vote=vote, member=org.out_member, choice="for")  # not at the meeting
    with pytest.raises(ValidationError) as exc:
        services.ballot_cast(vote=vote, member=new, choice="for")  # a probationary member has no vote
    assert "dự bị" in exc.value.messages[0]
    # every stored row of the app: who voted, and counters; no row holds a member and a choice
    found = []
    with connection.cursor() as cursor:
        for table in ("meetings_vote", "meetings_voter", "meetings_attendance", "meetings_minutes"):
            cursor.execute(f"SELECT * FROM {table}")
            names = [c[0] for c in cursor.description]
            found += [(table, dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
    for table, row in found:
        assert not ({"member_id"} <= set(row) and {"choice", "for", "against"} & set(map(str, row.values()))), table
    voters = [row for table, row in found if table == "meetings_voter"]
    assert sorted(r["member_id"] for r in voters) == sorted([org.sec_member.pk, org.mem_member.pk,
                                                             org.other_member.pk])
    assert set(voters[0]) == {"id", "vote_id", "member_id"}  # no time, no sequence
    result = services.vote_close(actor=None, vote=vote)
    assert (result.votes_for, result.votes_against, result.abstain, services.voters(result)) == (2, 1, 0, 3)
    assert (result.tally_for, result.tally_against, result.tally_abstain) == (0, 0, 0)
    assert services.passed(result)
    with pytest.raises(ValidationError):
        services.ballot_cast(vote=vote, member=org.sec_member, choice="for")  # closed


@pytest.mark.skipif(connection.vendor != "postgresql", reason="transaction ids and concurrency: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_ballots_transaction_writes_the_three_counters_and_one_ballot_each_under_20_at_once(org):
    import threading

    from django.db import connections

    meeting = hold(meet(org.A, D(2026, 9, 10)), all_present(org))
    vote = services.vote_open(actor=None, meeting=meeting, question="Bầu bí thư", secret=True, rule="majority")
    results = []

    def cast():
        try:
            services.ballot_cast(vote=vote, member=org.mem_member, choice="for")
            results.append("ok")
        except services.AlreadyVoted:
            results.append("again")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["again"] * 19 + ["ok"]
    services.ballot_cast(vote=vote, member=org.sec_member, choice="against")
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM meetings_voter WHERE vote_id = %s", [vote.pk])
        voter_xids = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT xmin::text, tally_for, tally_against, tally_abstain FROM meetings_vote WHERE id = %s",
                       [vote.pk])
        vote_xid, *counters = cursor.fetchone()
    # two voters, two transactions; the vote row holds only the three counters, written together
    # by the last ballot (whatever its choice), so its transaction id tells no choice
    assert len(voter_xids) == 2 and counters == [1, 1, 0] and vote_xid not in voter_xids


def test_approved_minutes_are_locked_and_a_change_is_a_new_version_with_its_reason(org):
    meeting = hold(meet(org.A, D(2026, 10, 10)), all_present(org))
    with pytest.raises(ValidationError) as exc:
        services.minutes_save(actor=None, meeting=meeting, sections=FULL_MINUTES, resolution="Sửa", approve=True)
    assert "reason" in exc.value.message_dict
    services.minutes_save(actor=None, meeting=meeting, sections=FULL_MINUTES, resolution="Sửa lại", approve=True,
                          reason="Ghi sót ý kiến")
    versions = list(Minutes.objects.filter(meeting=meeting).order_by("version").values_list(
        "version", "resolution", "approved"))
    assert versions == [(1, "Nghị quyết", True), (2, "Sửa lại", True)]
    with pytest.raises(ValidationError):
        services.minutes_save(actor=None, meeting=meet(org.A, D(2026, 10, 20)), sections={"dues": "x"},
                              resolution="", approve=True)  # incomplete minutes are not approved


def test_members_absent_without_leave_three_months_are_raised_and_a_member_of_another_cell_is_refused(org):
    for month in (2, 5, 9):
        hold(meet(org.A, D(2026, month, 10)), all_present(org) | {org.other_member.pk: "absent"})
    hold(meet(org.A, D(2025, 11, 10)), all_present(org) | {org.mem_member.pk: "absent"})
    alerts = absence_alerts(org.G, 2026)
    assert [(a.member_id, a.months_absent) for a in alerts] == [(org.other_member.pk, [2, 5, 9])]
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=None, meeting=meet(org.A, D(2026, 11, 10)),
                                   marks={org.out_member.pk: "present"})
    assert "marks[0].member_id" in exc.value.message_dict


def _value(unit, period, key, root):
    measure = measures.get(key)
    return measures.value_at(measures.compute_all(root, period, [measure])[key], unit.path, measure)


def test_figures_match_rows_counted_directly_at_cell_commune_and_province_this_year_last_and_after_a_merge(org):
    hold(meet(org.A, D(2025, 6, 10)), all_present(org) | {org.other_member.pk: "absent"})
    hold(meet(org.A, D(2026, 3, 10), kind="thematic"), all_present(org))
    hold(meet(org.B, D(2026, 3, 12)), {org.out_member.pk: "present"})
    hold(meet(org.A, D(2026, 4, 10)), all_present(org) | {org.mem_member.pk: "excused"}, approve=False)
    merged = org_services.unit_merge(actor=None, units=[org.A, org.B], name="Chi bộ Hợp Nhất", code="AB",
                                     on_date=D(2026, 6, 1))
    hold(meet(merged, D(2026, 7, 10)), {m.pk: "present" for m in (org.sec_member, org.mem_member,
                                                                  org.other_member, org.out_member)})

    def direct(code, period, sql_where):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM meetings_meeting m JOIN orgs_unitplacement p ON p.unit_id = m.unit_id "
                "AND p.start <= m.date AND (p.\"end\" IS NULL OR p.\"end\" > m.date) JOIN orgs_orgunit u "
                "ON u.code = %s JOIN orgs_unitplacement q ON q.unit_id = u.id AND q.start <= m.date "
                "AND (q.\"end\" IS NULL OR q.\"end\" > m.date) WHERE m.status = 'held' AND m.date BETWEEN %s AND %s "
                "AND p.path LIKE q.path || '%%' AND " + sql_where, [code, period.start, period.end])
            return cursor.fetchone()[0]

    for period in (YEAR, LAST_YEAR):
        for unit in (org.A, org.B, merged, org.G, org.P):
            assert _value(unit, period, "meetings.regular", org.P).value == direct(
                unit.code, period, "m.kind = 'regular'"), (unit.code, period)
            assert _value(unit, period, "meetings.thematic", org.P).value == direct(
                unit.code, period, "m.kind = 'thematic'")
            assert _value(unit, period, "meetings.quality_met", org.P).value == direct(
                unit.code, period, "m.quality_met")
    rate = _value(org.G, YEAR, "meetings.attendance", org.P)
    assert (rate.numerator, rate.denominator) == (3 + 1 + 2 + 4, 3 + 1 + 3 + 4)
    assert _value(org.A, LAST_YEAR, "meetings.absent_unexcused", org.P).value == 1
    assert _value(merged, YEAR, "meetings.regular", org.P).value == 1


# --- the API -------------------------------------------------------------------------------

def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_contract_schedule_attendance_votes_ballots_and_alerts(client, org):
    client.force_login(org.users["sec"])
    refused = post(client, f"/api/units/{org.G.pk}/meetings", {"kind": "regular", "date": "2026-11-10",
                                                                "start": "19:30", "end": "21:00", "place": "x"})
    assert refused.status_code == 404
    created = post(client, f"/api/units/{org.A.pk}/meetings", {
        "kind": "thematic", "date": "2026-11-10", "start": "19:30", "end": "21:00", "place": "Nhà văn hóa",
        "online": "", "topic": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "agenda": "1. Báo cáo chuyên đề", "document_ids": []})
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    bad = post(client, f"/api/meetings/{meeting_id}/attendance", {"marks": [
        {"member_id": org.sec_member.pk, "status": "present"}, {"member_id": org.out_member.pk, "status": "present"}]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "marks[1].member_id"
    assert org.out_member.full_name not in bad.content.decode()
    ok = post(client, f"/api/meetings/{meeting_id}/attendance", {"marks": [
        {"member_id": m.pk, "status": "present"} for m in (org.sec_member, org.mem_member, org.other_member)]})
    assert ok.status_code == 200
    shown = client.get(f"/api/meetings/{meeting_id}").json()
    assert shown["attendance"] == {"required": 3, "present": 3, "late": 0, "excused": 0, "absent": 0}
    assert (shown["status"], shown["kind"], shown["quality"]["met"]) == ("held", "thematic", False)
    assert "minutes" in shown["quality"]["failed"] and "prepared" in shown["quality"]["failed"]
    vote = post(client, f"/api/meetings/{meeting_id}/votes", {"question": "Bầu phó bí thư", "secret": True,
                                                               "rule": "majority"})
    assert vote.status_code == 201
    vote_id = vote.json()["id"]
    for name, choice in (("sec", "for"), ("mem", "for")):
        client.force_login(org.users[name])
        assert post(client, f"/api/votes/{vote_id}/ballots", {"choice": choice}).status_code == 201
    assert post(client, f"/api/votes/{vote_id}/ballots", {"choice": "against"}).status_code == 409
    assert post(client, f"/api/votes/{vote_id}/close", {}).status_code == 404  # a plain member closes nothing
    client.force_login(org.users["out"])
    assert post(client, f"/api/votes/{vote_id}/ballots", {"choice": "for"}).status_code == 404
    client.force_login(org.users["sec"])
    closed = post(client, f"/api/votes/{vote_id}/close", {}).json()
    assert closed == {"for": 2, "against": 0, "abstain": 0, "voters": 2, "base": 3, "passed": True}
    alerts = client.get(f"/api/units/{org.A.pk}/absence-alerts?year=2026").json()
    assert alerts == {"items": []}
    client.force_login(org.users["out"])
    assert client.get(f"/api/meetings/{meeting_id}").status_code == 404
