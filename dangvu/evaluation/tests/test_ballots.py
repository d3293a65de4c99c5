"""The meeting's vote behind a proposal: the counts copied from a closed vote of the cell's
meeting with the vote kept, and each refusal (still open, held outside the round, more votes
than full members present, typed counts that differ, another cell's vote or one the caller
does not read: named nowhere)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from dangvu.accounts.models import Team
from dangvu.evaluation import services
from dangvu.evaluation.models import Rating, Stage
from dangvu.lib.keys import EVALUATION_READ, EVALUATION_WRITE
from dangvu.meetings import services as meetings

D, T = datetime.date, datetime.time
TASKS = [{"title": "Nhiệm vụ chuyên môn", "result": "on_time"}]
QUESTION = "Đề nghị xếp loại đồng chí Lê Văn Cường: Hoàn thành tốt nhiệm vụ"
MEETING_DAY = D(2026, 12, 10)


@pytest.fixture
def rating(org):
    rnd = services.round_open(actor=None, unit=org.G, title="Đánh giá, xếp loại năm 2026", kind="year",
                              start=D(2026, 1, 1), end=D(2026, 12, 31))
    rating = Rating.objects.get(round=rnd, member=org.mem_member)
    return services.assessment_save(actor=None, rating=rating, general_points=25, task_points=55, tasks=TASKS)


def held_vote(org, unit=None, day=MEETING_DAY, counts=None, secret=False, question=QUESTION):
    """A vote at a meeting of `unit` (cell A) where its three full members were present."""
    unit = unit or org.A
    meeting = meetings.meeting_schedule(actor=None, unit=unit, kind="regular", date=day, start=T(19, 30),
                                        end=T(21, 0), place="Nhà văn hóa thôn")
    members = meetings.members_on(unit, day)
    meeting = meetings.attendance_record(actor=None, meeting=meeting, marks={m: "present" for m in members})
    vote = meetings.vote_open(actor=None, meeting=meeting, question=question, secret=secret, rule="majority")
    if counts is not None:
        vote = meetings.vote_close(actor=None, vote=vote, counts=counts)
    return vote


def propose(rating, **extra):
    return services.proposal_make(actor=None, rating=rating, level="good", **extra)


def refusal(rating, **extra) -> dict:
    with pytest.raises(ValidationError) as caught:
        propose(rating, **extra)
    return caught.value.message_dict


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_secret_vote_gives_its_counts_to_the_proposal_which_keeps_the_vote(org, rating):
    vote = held_vote(org, secret=True)
    for member, choice in ((org.sec_member, "for"), (org.mem_member, "for"), (org.other_member, "against")):
        meetings.ballot_cast(vote=vote, member=member, choice=choice)
    vote = meetings.vote_close(actor=None, vote=vote)
    proposed = propose(rating, vote=vote)
    proposed.refresh_from_db()
    assert (proposed.stage, proposed.votes_for, proposed.votes_against, proposed.vote_id) == (
        Stage.PROPOSED, 2, 1, vote.pk)
    # returned to be corrected, the proposal goes with its vote
    services.assessment_return(actor=None, rating=proposed, reason="Bổ sung nhiệm vụ")
    proposed.refresh_from_db()
    assert (proposed.votes_for, proposed.vote_id) == (None, None)


def test_typed_counts_beside_a_vote_must_be_the_votes_and_without_one_are_kept_as_typed(org, rating):
    vote = held_vote(org, counts={"for": 3, "against": 0, "abstain": 0})
    assert refusal(rating, vote=vote, votes_for=2)["votes_for"] == [
        "Cuộc biểu quyết tại hội nghị đã đếm được 3; để trống ô này hoặc nhập đúng số đó."]
    assert propose(rating, vote=vote, votes_for=3, votes_against=0).vote_id == vote.pk
    typed = propose(rating, votes_for=2, votes_against=1)
    assert (typed.votes_for, typed.votes_against, typed.vote_id) == (2, 1, None)


def test_a_vote_still_open_is_refused_naming_vote_id(org, rating):
    assert refusal(rating, vote=held_vote(org)) == {
        "vote_id": ["Cuộc biểu quyết vẫn đang mở: hãy kết thúc biểu quyết tại hội nghị rồi mới lấy kết quả."]}


def test_a_vote_held_before_the_round_is_refused_naming_vote_id(org, rating):
    vote = held_vote(org, day=D(2025, 12, 10), counts={"for": 3, "against": 0, "abstain": 0})
    assert refusal(rating, vote=vote) == {
        "vote_id": ["Cuộc biểu quyết được tiến hành ngày 10/12/2025, ngoài thời gian của đợt đánh giá "
                    "(01/01/2026 đến 31/12/2026)."]}


def test_a_vote_counting_more_votes_than_full_members_present_is_refused(org, rating):
    vote = held_vote(org, counts={"for": 3, "against": 0, "abstain": 0})
    # the attendance corrected after the vote: one of the three was absent
    meetings.attendance_record(actor=None, meeting=vote.meeting, marks={org.other_member.pk: "absent"})
    assert refusal(rating, vote=vote) == {
        "vote_id": ["Cuộc biểu quyết đếm được 3 phiếu, nhưng chỉ có 2 đảng viên chính thức có mặt tại hội nghị."]}


def test_another_cells_vote_is_not_found_and_its_question_never_shown(org, rating):
    theirs = held_vote(org, unit=org.B, counts={"for": 1, "against": 0, "abstain": 0},
                       question="Câu hỏi riêng của chi bộ Bản Mới")
    assert refusal(rating, vote=theirs) == {"vote_id": [f"Không tìm thấy: {theirs.pk}."]}


def test_api_takes_vote_id_and_answers_404_for_a_vote_outside_the_cell_or_the_callers_reading(client, org, rating):
    url = f"/api/evaluation-rounds/{rating.round_id}/proposals"
    body = {"subject": "member", "subject_id": org.mem_member.pk, "level": "good"}
    ours = held_vote(org, counts={"for": 2, "against": 1, "abstain": 0})
    still_open = held_vote(org, day=D(2026, 12, 11))
    theirs = held_vote(org, unit=org.B, counts={"for": 1, "against": 0, "abstain": 0},
                       question="Câu hỏi riêng của chi bộ Bản Mới")
    client.force_login(org.users["sec"])
    for vote_id in (theirs.pk, theirs.pk + 1000):  # B's vote, and one that does not exist: the same answer
        response = post(client, url, {**body, "vote_id": vote_id})
        assert response.status_code == 404 and "Câu hỏi riêng" not in response.content.decode()
    refused = post(client, url, {**body, "vote_id": still_open.pk})
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["vote_id"]
    mismatch = post(client, url, {**body, "vote_id": ours.pk, "votes_for": 3})
    assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["field"] == "votes_for"
    created = post(client, url, {**body, "vote_id": ours.pk})
    assert created.status_code == 201 and created.json() == {"id": rating.pk}
    rating.refresh_from_db()
    assert (rating.votes_for, rating.votes_against, rating.vote_id) == (2, 1, ours.pk)
    # one who proposes for cell A without reading its meetings takes no vote of it
    clerk = org.users["view"].__class__.objects.create_user(username="clerk", password="x")
    Team.objects.create(name="Đánh giá", unit=org.A, permissions=[EVALUATION_READ, EVALUATION_WRITE]).users.add(clerk)
    client.force_login(clerk)
    assert post(client, url, {**body, "vote_id": ours.pk}).status_code == 404
    assert post(client, url, {**body, "votes_for": 2, "votes_against": 1}).status_code == 201


def test_the_page_offers_the_cells_votes_refuses_another_cells_as_not_found_and_prefills_a_meetings_vote(
        client, org, rating):
    ours = held_vote(org, counts={"for": 3, "against": 0, "abstain": 0})
    theirs = held_vote(org, unit=org.B, counts={"for": 1, "against": 0, "abstain": 0},
                       question="Câu hỏi riêng của chi bộ Bản Mới")
    client.force_login(org.users["sec"])
    page = client.get(f"/evaluation/ratings/{rating.pk}/").content.decode()
    assert f'<option value="{ours.pk}">' in page and "Câu hỏi riêng" not in page
    assert f"/meetings/{ours.meeting_id}/?question=" in page  # open a vote there on this member's level
    refused = client.post(f"/evaluation/ratings/{rating.pk}/", {"form": "propose", "level": "good",
                                                               "vote_id": str(theirs.pk)})
    text = refused.content.decode()
    assert refused.status_code == 200 and f"Không tìm thấy: {theirs.pk}." in text and "Câu hỏi riêng" not in text
    assert Rating.objects.get(pk=rating.pk).stage == Stage.SUBMITTED
    done = client.post(f"/evaluation/ratings/{rating.pk}/", {"form": "propose", "level": "good",
                                                            "vote_id": str(ours.pk)})
    assert done.status_code == 302
    shown = client.get(f"/evaluation/ratings/{rating.pk}/").content.decode()
    assert 'id="proposal-vote"' in shown and "10/12/2026" in shown
    meeting = client.get(f"/meetings/{ours.meeting_id}/", {"question": QUESTION}).content.decode()
    assert f'value="{QUESTION}"' in meeting and '<details id="vote" open>' in meeting


def test_one_who_does_not_read_the_cells_votes_revises_a_proposal_taken_from_a_vote_by_typing_counts(
        client, org, rating):
    vote = held_vote(org, counts={"for": 3, "against": 0, "abstain": 0})
    propose(rating, vote=vote)
    clerk = org.users["view"].__class__.objects.create_user(username="clerk", password="x")
    Team.objects.create(name="Đánh giá", unit=org.A, permissions=[EVALUATION_READ, EVALUATION_WRITE]).users.add(clerk)
    client.force_login(clerk)
    page = client.get(f"/evaluation/ratings/{rating.pk}/").content.decode()
    assert 'name="vote_id"' not in page  # no stale id sent back, no vote offered
    done = client.post(f"/evaluation/ratings/{rating.pk}/", {"form": "propose", "level": "done", "votes_for": "2",
                                                            "votes_against": "1", "reason": "Còn chậm tiến độ"})
    assert done.status_code == 302
    rating.refresh_from_db()
    assert (rating.proposed_level, rating.votes_for, rating.votes_against, rating.vote_id) == ("done", 2, 1, None)


def test_a_vote_the_meeting_did_not_pass_is_not_offered_and_backs_no_proposal(org, rating):
    failed = held_vote(org, counts={"for": 1, "against": 2, "abstain": 0})  # 1 of 3 full members
    assert refusal(rating, vote=failed) == {"vote_id": [
        "Biểu quyết này không được hội nghị thông qua (1 tán thành trên 3 đảng viên chính thức): không thể làm "
        "căn cứ đề xuất."]}
    from dangvu.evaluation.ballots import candidate_votes
    assert candidate_votes(rating) == []
    assert propose(rating, votes_for=1, votes_against=2).votes_for == 1  # typed: the meeting's own business
