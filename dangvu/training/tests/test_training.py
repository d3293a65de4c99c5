"""Classes: enrolment, lessons and results through the pages; certificates; members' theory
levels recorded by officers only."""

import datetime

DAY = datetime.timedelta(days=1)
TODAY = datetime.date.today()


def test_class_pages_enrol_record_lessons_and_results(client, org):
    from dangvu.training.models import ClassAttendance, Enrolment, TrainingClass

    client.force_login(org.users["off"])
    client.get(f"/units/{org.G.pk}/classes/")  # the standard programmes exist from the first visit
    from dangvu.training.models import Programme

    programme = Programme.objects.get(kind=Programme.Kind.NEW_MEMBER)
    client.post(f"/units/{org.G.pk}/classes/", {"programme": programme.pk, "name": "Lớp đảng viên mới 2026",
                                                "start": "2026-05-04", "end": "2026-05-15", "once": "t1"})
    cls = TrainingClass.objects.get()
    client.post(f"/classes/{cls.pk}/", {"enrol": "1", "member": [org.mem_member.pk, org.out_member.pk]})
    assert Enrolment.objects.count() == 2
    e1, e2 = Enrolment.objects.order_by("pk")
    client.post(f"/classes/{cls.pk}/", {"lesson": "1", "held_on": "2026-05-04", "topic": "",
                                        f"e{e1.pk}": "present", f"e{e2.pk}": "excused"})
    assert dict(ClassAttendance.objects.values_list("enrolment_id", "status")) == {e1.pk: "present", e2.pk: "excused"}
    client.post(f"/classes/{cls.pk}/", {"enrolment": e1.pk, "result": "completed", "certificate_number": ""})
    e1.refresh_from_db()
    assert e1.result == "studying"  # refused: a completed course needs its certificate number
    client.post(f"/classes/{cls.pk}/", {"enrolment": e1.pk, "result": "completed", "certificate_number": "05/2026"})
    e1.refresh_from_db()
    assert (e1.result, e1.certificate_number) == ("completed", "05/2026")
    client.force_login(org.users["sec"])  # a cell secretary cannot open the committee's class
    assert client.get(f"/classes/{cls.pk}/").status_code == 404


def test_theory_levels_are_recorded_by_officers_only(client, org):
    from dangvu.training.models import TheoryLevel

    form = {"level": "trung_cap", "status": "completed", "decision": "Quyết định số 15-QĐ/TU",
            "completed_on": "2024-06-30", "certificate_number": ""}
    client.force_login(org.users["off"])
    client.post(f"/members/{org.mem_member.pk}/training/", form)
    assert not TheoryLevel.objects.exists()  # completed without a certificate number is refused
    client.post(f"/members/{org.mem_member.pk}/training/", form | {"certificate_number": "TC-2024-118"})
    assert TheoryLevel.objects.get().certificate_number == "TC-2024-118"
    client.force_login(org.users["mem"])  # members read their own, and change nothing
    assert client.get(f"/members/{org.mem_member.pk}/training/").status_code == 200
    assert client.post(f"/members/{org.mem_member.pk}/training/", form | {"level": "cao_cap"}).status_code == 404
    assert TheoryLevel.objects.count() == 1
    client.force_login(org.users["out"])
    assert client.get(f"/members/{org.mem_member.pk}/training/").status_code == 404


def test_class_certificates_print_as_one_page_per_person_who_completed(client, org):
    import io

    import docx

    from dangvu.training import services as training
    from dangvu.training.models import Programme

    training.ensure_standard_programmes()
    cls = training.class_create(actor=None, unit=org.G, programme=Programme.objects.first(), name="Lớp khóa I/2026",
                                start=TODAY - 20 * DAY, end=TODAY - 10 * DAY, place="Hội trường xã", online=False)
    training.enrol(actor=None, training_class=cls, members=[org.mem_member, org.other_member], candidates=[])
    done = cls.enrolments.get(member=org.mem_member)
    training.result_record(actor=None, enrolment=done, result="completed", score="8.5", certificate_number="15/CN")
    client.force_login(org.users["off"])
    answer = client.get(f"/classes/{cls.pk}/?format=certificates")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs)
    assert "GIẤY CHỨNG NHẬN" in text and "Lê Văn Cường" in text and "15/CN" in text and "8,5" in text
    assert text.count("GIẤY CHỨNG NHẬN") == 1 and "Phạm Thị Dung" not in text  # only who completed
    client.force_login(org.users["mem"])  # the member downloads their own from the sổ tay
    assert f"/certificates/{done.pk}.docx" in client.get("/so-tay/").content.decode()
    assert client.get(f"/certificates/{done.pk}.docx").status_code == 200
    other = cls.enrolments.get(member=org.other_member)
    assert client.get(f"/certificates/{other.pk}.docx").status_code == 404
