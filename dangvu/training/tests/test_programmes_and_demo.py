"""Issue 23: the standard programmes' lessons carry their real titles, the demo's finished
new-member classes have results that the figures count, and /admin/ names every training field
in Vietnamese."""

import datetime
import importlib
import random
import re

from conftest import make_member

DAY = datetime.timedelta(days=1)
TODAY = datetime.date.today()
FIRST_LESSON = ("Chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh - nền tảng tư tưởng, kim chỉ nam cho hành động của "
                "Đảng và cách mạng Việt Nam")
LAST_LESSON = "Phấn đấu, rèn luyện để xứng đáng là đảng viên Đảng Cộng sản Việt Nam"


def test_the_new_member_programme_names_its_ten_lessons(client, org):
    from dangvu.training import services as training
    from dangvu.training.models import Programme

    _awareness, new_member, skills = training.ensure_standard_programmes()
    titles = list(new_member.topics.values_list("title", flat=True))
    assert len(titles) == 10 and titles[0] == FIRST_LESSON and titles[9] == LAST_LESSON
    assert titles[1] == "Độc lập dân tộc gắn liền với chủ nghĩa xã hội và con đường đi lên chủ nghĩa xã hội ở Việt Nam"
    assert titles[7] == "Nguyên tắc tổ chức và hoạt động của Đảng; công tác xây dựng Đảng ở cơ sở"
    assert not [t for t in titles if re.fullmatch(r"(Chuyên đề|Topic) \d+", t)]
    awareness = Programme.objects.get(kind=Programme.Kind.AWARENESS)
    assert list(awareness.topics.values_list("title", flat=True))[2] == "Nội dung cơ bản của Điều lệ Đảng Cộng sản Việt Nam"
    # the party-work programme's content is set locally: numbered
    assert list(skills.topics.values_list("title", flat=True)) == [f"Chuyên đề {n}" for n in range(1, 5)]

    cls = training.class_create(actor=None, unit=org.G, programme=new_member, name="Lớp đảng viên mới khóa I",
                                start=TODAY - 10 * DAY, end=TODAY)
    training.enrol(actor=None, training_class=cls, members=[org.mem_member])
    client.force_login(org.users["off"])
    page = client.get(f"/classes/{cls.pk}/").content.decode()
    first = new_member.topics.get(order=1)
    assert f'<option value="{first.pk}">1. {FIRST_LESSON}</option>' in page
    assert "Chuyên đề 1<" not in page


def test_lessons_created_numbered_get_their_titles_and_a_renamed_one_is_kept(db):
    from django.apps import apps

    from dangvu.training.models import Programme, Topic

    migration = importlib.import_module("dangvu.training.migrations.0002_lesson_titles")
    programme = Programme.objects.create(kind=Programme.Kind.NEW_MEMBER, name="Lý luận chính trị dành cho đảng viên mới")
    Topic.objects.bulk_create([Topic(programme=programme, order=n, title=f"Chuyên đề {n}") for n in range(1, 10)]
                              + [Topic(programme=programme, order=10, title="Lịch sử Đảng bộ tỉnh")])
    local = Programme.objects.create(kind=Programme.Kind.LOCAL, name="Chuyên đề của tỉnh")
    Topic.objects.create(programme=local, order=1, title="Chuyên đề 1")
    migration.name_the_lessons(apps, None)
    titles = list(programme.topics.values_list("title", flat=True))
    assert titles[0] == FIRST_LESSON and titles[6] == "Chủ động và tích cực hội nhập quốc tế"
    assert titles[9] == "Lịch sử Đảng bộ tỉnh"  # the committee's own title stays
    assert local.topics.get().title == "Chuyên đề 1"  # another programme is not touched


def test_a_finished_new_member_class_of_the_demo_has_results_the_figures_count(org):
    from dangvu.lib import measures
    from dangvu.lib.periods import Period
    from dangvu.orgs.models import Member
    from dangvu.training.demo import build_training_demo
    from dangvu.training.models import Enrolment, Programme, TrainingClass

    for n in range(12):  # admitted 11 months ago: still probationary, in the committee all through the class
        make_member(org.A if n % 2 else org.B, f"Nguyễn Văn Mới {n}", datetime.date(1998, 1, n + 1),
                    admission_date=TODAY - 330 * DAY, official_date=None)
    build_training_demo(random.Random(23), [org.G], list(Member.objects.all()), TODAY)

    cls = TrainingClass.objects.get(programme__kind=Programme.Kind.NEW_MEMBER)
    assert cls.end < TODAY and cls.enrolments.count() == 12
    assert not cls.enrolments.filter(result=Enrolment.Result.STUDYING).exists()  # was: all 12 still studying
    passed = Enrolment.objects.filter(training_class=cls, member__isnull=False, result=Enrolment.Result.COMPLETED)
    failed = Enrolment.objects.filter(training_class=cls, result=Enrolment.Result.NOT_COMPLETED)
    assert passed.count() + failed.count() == 12 and passed.count() >= 9
    assert not passed.filter(certificate_number="").exists() and not passed.filter(score=None).exists()

    measure = measures.get("training.new_members_completed")
    period = Period(cls.start, cls.start)
    values = measure.compute(measures.Query(org.P, period))
    for unit in (org.G, org.P):
        assert measures.value_at(values, unit.path, measure).value == passed.count()
    assert sorted(e.pk for e in measure.rows(org.G, period)) == sorted(passed.values_list("pk", flat=True))
    enrolled = measures.get("training.new_members_enrolled")
    assert measures.value_at(enrolled.compute(measures.Query(org.P, period)), org.G.path, enrolled).value == 12


def test_every_training_field_has_a_vietnamese_name_in_the_admin(admin_client):
    from django.apps import apps
    from django.utils import translation

    with translation.override("vi"):
        unnamed = [f"{model.__name__}.{field.name}" for model in apps.get_app_config("training").get_models()
                   for field in model._meta.fields if str(field.verbose_name) == field.name.replace("_", " ")]
    assert unnamed == []  # was: Topic.programme, Enrolment.member, TheoryLevel.member… shown as "member"
    from dangvu.orgs.models import UnitKind
    from dangvu.orgs.services import unit_create
    from dangvu.training.models import TheoryLevel

    unit = unit_create(actor=None, parent=None, name="Đảng bộ tỉnh Thử", code="P", kind=UnitKind.PROVINCE,
                       valid_from=datetime.date(2020, 1, 1))
    TheoryLevel.objects.create(member=make_member(unit), level="so_cap")
    page = admin_client.get("/admin/training/theorylevel/").content.decode()
    header = re.search(r'(?s)<th scope="col" class="[^"]*column-member[^"]*">.*?</th>', page).group()
    assert re.search(r'<div class="text"><a [^>]*>Đảng viên</a></div>', header)
