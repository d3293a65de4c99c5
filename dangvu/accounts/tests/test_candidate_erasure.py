"""Erasing the personal data of an admission candidate who left the list unadmitted: the name
and the day and month of birth go, from the candidate's row and from every earlier change log
entry, after a confirmation by the committee's office; the row and its class enrolments stay,
so the classes' figures do not change. Refused for an admitted candidate."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from dangvu.accounts.erasure import candidate_erase, candidate_refusal, erased_mark, erased_name
from dangvu.audit.models import AuditEntry
from dangvu.lib.measures import Query
from dangvu.lib.measures import get as measure
from dangvu.lib.periods import Period
from dangvu.lib.vntext import search_key
from dangvu.orgs import services
from dangvu.orgs.models import Candidate

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
NAME, TYPO = "Lò Thị Xuân", "Lò Thị Xuan"
OTHER = "Vi Văn Sáng"  # another candidate in the same class: his name stays


def _candidate(org, name=NAME, unit=None, stage=Candidate.Stage.INTRODUCED, dob=datetime.date(2002, 6, 15)):
    return services.candidate_create(actor=org.users["sec"], unit=unit or org.A, full_name=name, date_of_birth=dob,
                                     sex="nu", stage=stage)


def _awareness_class(org, candidates):
    """A class on the Party at the commune, the candidates enrolled, the first completing it."""
    from dangvu.training import services as training
    from dangvu.training.models import Programme

    training.ensure_standard_programmes()
    cls = training.class_create(actor=org.users["off"], unit=org.G, name="Lớp nhận thức về Đảng",
                                programme=Programme.objects.get(kind=Programme.Kind.AWARENESS),
                                start=TODAY - 5 * DAY, end=TODAY + 5 * DAY, place="Hội trường xã", online=False)
    training.enrol(actor=org.users["off"], training_class=cls, candidates=candidates)
    training.result_record(actor=org.users["off"], enrolment=cls.enrolments.get(candidate=candidates[0]),
                           result="completed", score="8.0", certificate_number="07/NT")
    return cls


def _figures(org, cls):
    """The class's figures: the measures' values for the commune this year, and the rows counted directly."""
    period = Period(datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31))
    values = {key: measure(key).compute(Query(org.G, period))[org.G.path].value
              for key in ("training.candidate_classes", "training.candidates_enrolled",
                          "training.candidates_completed")}
    enrolments = cls.enrolments.filter(candidate__isnull=False)
    return values, enrolments.count(), sorted(enrolments.values_list("candidate_id", "result", "certificate_number"))


def _whole_database() -> str:
    """Every row of every table, as text."""
    out = io.StringIO()
    call_command("dumpdata", format="json", stdout=out)
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False)


def test_an_officer_erases_a_candidate_who_left_and_the_name_is_left_nowhere(client, org):
    candidate = _candidate(org, TYPO)
    candidate = services.candidate_update(actor=org.users["sec"], candidate=candidate, full_name=NAME)
    other = _candidate(org, OTHER, dob=datetime.date(2000, 2, 2))
    cls = _awareness_class(org, [candidate, other])
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.STUDIED
    before = _figures(org, cls)
    assert before[0]["training.candidates_enrolled"] == 2 and before[1] == 2
    dump = _whole_database()
    assert NAME in dump and TYPO in dump and search_key(NAME) in dump  # (the search finds them before)
    entries = AuditEntry.objects.count()

    client.force_login(org.users["off"])
    assert 'id="erase-candidate"' in client.get(f"/candidates/{candidate.pk}/").content.decode()
    page = client.get(f"/account/candidates/{candidate.pk}/erase/")
    assert page.status_code == 200 and page.context["refused"] is None and 'id="erase-form"' in page.content.decode()
    client.post(f"/account/candidates/{candidate.pk}/erase/", {})  # not confirmed: nothing done
    candidate.refresh_from_db()
    assert candidate.full_name == NAME and candidate.erased_on is None

    answer = client.post(f"/account/candidates/{candidate.pk}/erase/", {"confirm": "yes"})
    assert answer.status_code == 302 and answer.url == f"/units/{org.A.pk}/candidates/"
    candidate.refresh_from_db()
    with translation.override("vi"):
        assert erased_name() == "Đã xóa thông tin cá nhân"
    assert (candidate.full_name, candidate.date_of_birth, candidate.erased_on) == (
        erased_name(), datetime.date(2002, 1, 1), TODAY)
    assert (candidate.sex, candidate.stage, candidate.unit_id) == ("nu", Candidate.Stage.STUDIED, org.A.pk)

    # found in no row of any table: the candidates, every change log entry, anything else
    dump = _whole_database()
    for gone in (NAME, TYPO, search_key(NAME), search_key(TYPO), "2002-06-15", "15/06/2002"):
        assert gone not in dump, gone
    for entry in AuditEntry.objects.all():
        assert NAME not in json.dumps(entry.changes, ensure_ascii=False) + entry.object_repr
    assert not Candidate.objects.filter(full_name__icontains="Xu").exists()
    assert OTHER in dump  # only hers: the other candidate's enrolment line stays

    # the class's figures stand, to the row
    assert _figures(org, cls) == before

    # the change log: who erased, when and which fields; the earlier entries kept, their values marked
    assert AuditEntry.objects.count() == entries + 1
    erased = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
    assert (erased.actor, erased.model, erased.object_id) == (org.users["off"], "orgs.candidate", str(candidate.pk))
    assert erased.changes == {"erased": ["full_name", "date_of_birth"]} and not erased.alters_figures
    created = AuditEntry.objects.get(model="orgs.candidate", object_id=str(candidate.pk),
                                     action=AuditEntry.Action.CREATE)
    assert created.changes["full_name"] == [None, erased_mark()] and created.changes["date_of_birth"] == [
        None, erased_mark()]
    assert created.changes["sex"] == [None, "nu"] and created.actor == org.users["sec"]
    renamed = AuditEntry.objects.get(model="orgs.candidate", object_id=str(candidate.pk),
                                     action=AuditEntry.Action.UPDATE)
    assert renamed.changes == {"full_name": [erased_mark(), erased_mark()]}
    result = AuditEntry.objects.filter(model="training.trainingclass", changes__has_key="result").get()
    assert result.changes["result"] == [None, f"{erased_mark()}: completed 07/NT"]

    # gone from the cell's list (counted only), and from its Excel export
    listing = client.get(f"/units/{org.A.pk}/candidates/")
    assert [c.pk for c in listing.context["page"]] == [other.pk] and listing.context["erased"] == 1
    assert 'id="candidates-erased"' in listing.content.decode()
    assert erased_name() not in listing.content.decode()

    # no longer edited, moved on or admitted: the page offers nothing, the services refuse
    detail = client.get(f"/candidates/{candidate.pk}/").content.decode()
    assert 'id="candidate-erased"' in detail
    for action in ('id="erase-candidate"', 'id="stage-next"', 'id="stage-back"', "/edit/"):
        assert action not in detail, action
    assert client.get(f"/candidates/{candidate.pk}/edit/").status_code == 302
    assert client.get(f"/candidates/{candidate.pk}/admit/").status_code == 302
    client.post(f"/candidates/{candidate.pk}/stage/", {"stage": Candidate.Stage.CONSIDERED})
    client.post(f"/candidates/{candidate.pk}/edit/", {"full_name": NAME, "date_of_birth": "15/06/2002", "sex": "nu"})
    candidate.refresh_from_db()
    assert (candidate.full_name, candidate.stage) == (erased_name(), Candidate.Stage.STUDIED)
    for change in (lambda: services.candidate_update(actor=None, candidate=candidate, full_name=NAME),
                   lambda: services.candidate_stage(actor=None, candidate=candidate, stage="xet_ket_nap"),
                   lambda: services.candidate_admit(actor=None, candidate=candidate, admission_date=TODAY)):
        with pytest.raises(ValidationError, match="erased"), translation.override("en"):
            change()
    # nor enrolled in another class: the class page does not offer them, the service refuses their id
    from dangvu.training import services as training
    from dangvu.training.models import Programme

    again = training.class_create(actor=org.users["off"], unit=org.G, name="Lớp nhận thức về Đảng (đợt 2)",
                                  programme=Programme.objects.get(kind=Programme.Kind.AWARENESS),
                                  start=TODAY, end=TODAY + 5 * DAY, place="Hội trường xã", online=False)
    offered = client.get(f"/classes/{again.pk}/", {"q": "Đã xóa"})
    assert candidate not in offered.context["pickable_candidates"]
    with pytest.raises(ValidationError, match=str(candidate.pk)):
        training.enrol(actor=org.users["off"], training_class=again, candidates=[candidate])
    assert not again.enrolments.exists()
    # and a second erasure has nothing left to do
    page = client.get(f"/account/candidates/{candidate.pk}/erase/")
    assert page.context["refused"] == candidate_refusal(candidate) and 'id="erase-form"' not in page.content.decode()


def test_only_an_officer_of_the_committee_above_the_cell_erases_a_candidate(client, org):
    candidate = _candidate(org)
    # the cell's secretary edits the cell's candidates but does not decide an erasure; the viewer
    # reads only; the member and another cell's secretary see nothing here
    for user, code in (("sec", 403), ("view", 403), ("mem", 404), ("out", 404)):
        client.force_login(org.users[user])
        assert client.get(f"/account/candidates/{candidate.pk}/erase/").status_code == code, user
        assert client.post(f"/account/candidates/{candidate.pk}/erase/", {"confirm": "yes"}).status_code == code, user
    client.force_login(org.users["sec"])
    assert 'id="erase-candidate"' not in client.get(f"/candidates/{candidate.pk}/").content.decode()
    candidate.refresh_from_db()
    assert candidate.full_name == NAME and candidate.erased_on is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).exists()


def test_an_admitted_candidate_is_refused(client, org):
    candidate = _candidate(org, stage=Candidate.Stage.CONSIDERED)
    member = services.candidate_admit(actor=None, candidate=candidate, admission_date=TODAY - DAY)
    candidate.refresh_from_db()
    client.force_login(org.users["off"])
    assert 'id="erase-candidate"' not in client.get(f"/candidates/{candidate.pk}/").content.decode()
    page = client.get(f"/account/candidates/{candidate.pk}/erase/")
    assert page.status_code == 200 and page.context["refused"] == candidate_refusal(candidate) is not None
    assert 'id="erase-form"' not in page.content.decode()
    client.post(f"/account/candidates/{candidate.pk}/erase/", {"confirm": "yes"})
    with pytest.raises(ValidationError):
        candidate_erase(actor=org.users["off"], candidate=candidate)
    candidate.refresh_from_db()
    member.refresh_from_db()
    assert candidate.full_name == member.full_name == NAME and candidate.erased_on is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).exists()


def test_a_namesake_in_the_same_class_keeps_the_class_log(org):
    """The class's log cannot tell two people of the same name apart: it is left as it was (the
    name there may be the namesake's); the candidate's own log is cleared all the same."""
    candidate = _candidate(org)
    namesake = _candidate(org, unit=org.B, dob=datetime.date(1999, 9, 9))
    cls = _awareness_class(org, [candidate, namesake])
    class_log = list(AuditEntry.objects.filter(model="training.trainingclass", object_id=str(cls.pk))
                     .order_by("pk").values_list("changes", flat=True))
    candidate_erase(actor=org.users["off"], candidate=candidate)
    assert list(AuditEntry.objects.filter(model="training.trainingclass", object_id=str(cls.pk))
                .order_by("pk").values_list("changes", flat=True)) == class_log
    own = AuditEntry.objects.filter(model="orgs.candidate", object_id=str(candidate.pk))
    assert all(NAME not in json.dumps(e.changes, ensure_ascii=False) + e.object_repr for e in own)
    namesake.refresh_from_db()
    assert namesake.full_name == NAME and namesake.erased_on is None
