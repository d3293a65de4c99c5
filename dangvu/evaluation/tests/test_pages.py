"""The pages on a phone's path: a member fills and submits on the sổ tay, the secretary
proposes after the meeting, the đảng ủy decides in bulk and hits the cap; who sees what."""

import datetime

from dangvu.evaluation import services
from dangvu.evaluation.models import Level, Rating, Stage

D = datetime.date


def _round(org):
    return services.round_open(actor=None, unit=org.G, title="Đánh giá, xếp loại năm 2026", kind="year",
                               start=D(2026, 1, 1), end=D(2026, 12, 31))


def _fill(client, rating, points=("27", "63"), results=("exceeded", "on_time"), submit=True):
    body = {"form": "assess", "general_points": points[0], "task_points": points[1], "strengths": "Gương mẫu",
            "weaknesses": "", "remedies": "", "remedied": "unknown", "direction": "Tiếp tục phát huy"}
    for n, result in enumerate(results, 1):
        body[f"task_title_{n}"] = f"Nhiệm vụ {n}"
        body[f"task_result_{n}"] = result
    if submit:
        body["submit"] = "1"
    return client.post(f"/evaluation/ratings/{rating.pk}/", body)


def test_member_secretary_and_committee_through_the_pages(client, org):
    rnd = _round(org)
    mine = Rating.objects.get(round=rnd, member=org.mem_member)
    client.force_login(org.users["mem"])
    home = client.get("/so-tay/").content.decode()
    assert 'id="evaluation-reminder"' in home and f"/evaluation/ratings/{mine.pk}/" in home
    page = client.get(f"/evaluation/ratings/{mine.pk}/")
    assert page.status_code == 200 and 'id="assessment-form"' in page.content.decode()
    bad = _fill(client, mine, points=("31", "63"))
    assert bad.status_code == 200 and 'id="assessment-form"' in bad.content.decode()
    assert Rating.objects.get(pk=mine.pk).stage == Stage.OPEN
    assert _fill(client, mine, submit=False).status_code == 302
    assert Rating.objects.get(pk=mine.pk).stage == Stage.OPEN  # a draft, kept
    assert _fill(client, mine).status_code == 302
    mine.refresh_from_db()
    assert (mine.stage, mine.points, mine.allowed_level, mine.on_behalf) == (Stage.SUBMITTED, 90, Level.EXCELLENT,
                                                                             False)
    other = Rating.objects.get(round=rnd, member=org.other_member)
    assert client.get(f"/evaluation/ratings/{other.pk}/").status_code == 404  # another member's
    # the secretary enters the other member's paper form and proposes both after the meeting
    client.force_login(org.users["sec"])
    assert _fill(client, other, points=("25", "55"), results=("on_time",)).status_code == 302
    assert Rating.objects.get(pk=other.pk).on_behalf is True
    for rating, level in ((mine, "excellent"), (other, "good")):
        response = client.post(f"/evaluation/ratings/{rating.pk}/", {"form": "propose", "level": level,
                                                                      "votes_for": "3", "votes_against": "0"})
        assert response.status_code == 302
    over = client.post(f"/evaluation/ratings/{other.pk}/", {"form": "propose", "level": "excellent"})
    assert "dưới 90 điểm" in over.content.decode()
    cell = client.get(f"/evaluation/rounds/{rnd.pk}/?unit={org.A.pk}").content.decode()
    assert 'id="subjects"' in cell and org.mem_member.full_name in cell and org.out_member.full_name not in cell
    assert client.get(f"/evaluation/rounds/{rnd.pk}/?unit={org.B.pk}").status_code == 404
    assert client.post(f"/evaluation/ratings/{mine.pk}/", {"form": "decide", "level": "good"}).status_code == 403
    # the đảng ủy decides both in one go: tốt first, then the cap refuses xuất sắc (1 rated tốt)
    client.force_login(org.users["off"])
    table = client.get(f"/evaluation/rounds/{rnd.pk}/").content.decode()
    assert 'id="cap"' in table and 'data-left="0"' in table
    response = client.post(f"/evaluation/rounds/{rnd.pk}/?unit={org.G.pk}",
                           {"form": "decide", "rating": [str(mine.pk), str(other.pk)]}, follow=True)
    text = response.content.decode()
    assert Rating.objects.get(pk=other.pk).level == Level.GOOD
    assert Rating.objects.get(pk=mine.pk).stage == Stage.PROPOSED
    assert org.mem_member.full_name in text and "20%" in text
    assert client.post(f"/evaluation/ratings/{mine.pk}/", {"form": "decide", "level": "good",
                                                            "reason": "Vượt tỷ lệ"}).status_code == 302
    # the member sees the level on the sổ tay; a viewer sees the level, not the points
    client.force_login(org.users["mem"])
    home = client.get("/so-tay/").content.decode()
    assert 'id="evaluation-reminder"' not in home and str(Level.GOOD.label) in home
    own = client.get(f"/evaluation/ratings/{mine.pk}/").content.decode()
    assert 'id="level"' in own and 'id="points"' in own
    client.force_login(org.users["view"])
    seen = client.get(f"/evaluation/ratings/{mine.pk}/").content.decode()
    assert 'id="level"' in seen and 'id="points"' not in seen
    pending = Rating.objects.get(round=rnd, member=org.out_member)
    assert client.get(f"/evaluation/ratings/{pending.pk}/").status_code == 403  # not decided: nothing to read
