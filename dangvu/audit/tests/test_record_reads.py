"""Who read whose record: each opening of a member's page is one row, written with one INSERT and
no lookup; the committee's security officer (audit:read_access) lists them for the unit's subtree."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.accounts.models import Team
from dangvu.audit.models import RecordRead
from dangvu.lib.keys import AUDIT_READ, AUDIT_READ_ACCESS
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.scope import scope_for


def _reads():
    return list(RecordRead.objects.order_by("id").values_list("reader__username", "member_id", "unit_path", "via"))


def test_a_member_page_read_by_someone_else_is_one_row_written_with_one_insert(client, org):
    client.force_login(org.users["off"])
    client.get(f"/members/{org.other_member.pk}/")  # the session and scope are warm: count the next one alone
    RecordRead.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/members/{org.other_member.pk}/").status_code == 200
    touching = [q["sql"] for q in queries.captured_queries if "audit_recordread" in q["sql"]]
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("INSERT")
    assert _reads() == [("off", org.other_member.pk, org.A.path, "page")]


def test_reading_ones_own_page_and_being_refused_write_nothing(client, org):
    client.force_login(org.users["mem"])
    assert client.get(f"/members/{org.mem_member.pk}/").status_code == 200
    assert client.get(f"/members/{org.other_member.pk}/").status_code == 404  # another member: not theirs to read
    client.force_login(org.users["out"])
    assert client.get(f"/members/{org.other_member.pk}/").status_code == 404  # another cell's secretary
    assert _reads() == []
    client.force_login(org.users["sec"])
    client.get(f"/members/{org.mem_member.pk}/")
    assert _reads() == [("sec", org.mem_member.pk, org.A.path, "page")]


def _security_officer(org):
    """What a committee's security officer holds: the change log and the log of readings, no more."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="baove", password="x-baove")
    Team.objects.create(name="Bảo vệ chính trị nội bộ", unit=org.G,
                        permissions=[AUDIT_READ, AUDIT_READ_ACCESS]).users.add(user)
    return user


def test_the_security_officer_lists_reads_in_the_subtree_filtered_by_member_and_reader(client, org):
    officer = _security_officer(org)
    client.force_login(org.users["sec"])
    client.get(f"/members/{org.mem_member.pk}/")
    client.get(f"/members/{org.other_member.pk}/")
    client.force_login(org.users["off"])
    client.get(f"/members/{org.mem_member.pk}/")
    client.get(f"/members/{org.out_member.pk}/")  # a member of cell B

    client.force_login(officer)
    page = client.get(f"/units/{org.G.pk}/record-reads/")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 4
    on_a = client.get(f"/units/{org.A.pk}/record-reads/").context["page"]
    assert [(r.reader.username, r.member_id) for r in on_a] == [
        ("off", org.mem_member.pk), ("sec", org.other_member.pk), ("sec", org.mem_member.pk)]  # newest first
    by_member = client.get(f"/units/{org.G.pk}/record-reads/", {"whose": "le van cuong"}).context["page"]
    assert {(r.reader.username, r.member_id) for r in by_member} == {("sec", org.mem_member.pk),
                                                                     ("off", org.mem_member.pk)}
    by_reader = client.get(f"/units/{org.G.pk}/record-reads/", {"reader": "sec"}).context["page"]
    assert {r.member_id for r in by_reader} == {org.mem_member.pk, org.other_member.pk}
    by_name = client.get(f"/units/{org.G.pk}/record-reads/", {"reader": "Trần Thị Bình"}).context["page"]
    assert len(by_name) == 2  # the reader found by the member's name their account belongs to
    both = client.get(f"/units/{org.G.pk}/record-reads/", {"reader": "off", "whose": "hoang"}).context["page"]
    assert [(r.reader.username, r.member_id) for r in both] == [("off", org.out_member.pk)]


def test_the_list_is_paged(client, org):
    officer = _security_officer(org)
    RecordRead.objects.bulk_create([RecordRead(reader=org.users["off"], member=org.mem_member,
                                               unit_path=org.A.path, via="page") for _ in range(53)])
    client.force_login(officer)
    first = client.get(f"/units/{org.A.pk}/record-reads/", {"whose": "cuong"})
    assert len(first.context["page"]) == 50
    assert "whose=cuong" in first.content.decode().split('id="record-reads"')[1]  # the next page keeps the filter
    second = client.get(f"/units/{org.A.pk}/record-reads/", {"whose": "cuong", "page": 2})
    assert len(second.context["page"]) == 3


def test_only_the_holder_of_the_key_reads_the_log_and_roles_do_not_give_it(client, org):
    # the secretary of A and the read-only viewer read the change log, not who read what
    for user, code in (("sec", 403), ("view", 403), ("mem", 404), ("out", 404)):
        client.force_login(org.users[user])
        assert client.get(f"/units/{org.A.pk}/record-reads/").status_code == code, user
    assert not scope_for(org.users["sec"]).can(AUDIT_READ_ACCESS, org.A.path)
    client.force_login(_security_officer(org))
    assert client.get(f"/units/{org.A.pk}/record-reads/").status_code == 200
    assert client.get(f"/units/{org.P.pk}/record-reads/").status_code == 404  # above the officer's unit


def test_reads_stay_with_the_cell_the_member_was_in_when_read(client, org):
    """A member who moves on carries no one's reads of them into the new cell's log."""
    from dangvu.orgs import services

    officer = _security_officer(org)
    client.force_login(org.users["off"])
    client.get(f"/members/{org.mem_member.pk}/")
    services.member_transfer(actor=None, member=org.mem_member, to_unit=org.B, on_date=datetime.date.today())
    client.get(f"/members/{org.mem_member.pk}/")
    client.force_login(officer)
    paths = {OrgUnit.objects.get(pk=u).path: len(client.get(f"/units/{u}/record-reads/").context["page"])
             for u in (org.A.pk, org.B.pk)}
    assert paths == {org.A.path: 1, org.B.path: 1}


def test_a_member_read_through_the_api_is_logged(client, org):
    client.force_login(org.users["view"])
    assert client.get(f"/api/members/{org.other_member.pk}").status_code == 200
    assert _reads() == [("view", org.other_member.pk, org.A.path, "api")]
