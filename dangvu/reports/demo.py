"""The demo's year-end reports, written through the real services: the province's 2026
summary as a draft being finished in December (its narrative sections written as a
committee office would), and one commune's, already issued with its number."""

from django.db.models import Count
from django.utils import timezone

from dangvu.lib.periods import Period
from dangvu.orgs.models import OrgUnit, UnitKind
from dangvu.reports import services

NARRATIVES = {
    "boi-canh": (
        "Năm {year} là năm đầu thực hiện Nghị quyết đại hội đảng bộ các cấp nhiệm kỳ 2025 – 2030 và vận hành "
        "mô hình chính quyền địa phương hai cấp sau sắp xếp. Bên cạnh thuận lợi cơ bản là sự quan tâm lãnh đạo, "
        "chỉ đạo của cấp ủy cấp trên, sự đồng thuận của cán bộ, đảng viên và Nhân dân, đảng bộ cũng gặp không "
        "ít khó khăn: địa bàn rộng, nhiều chi bộ ở thôn, bản xa trung tâm; đội ngũ cán bộ làm công tác tuyên "
        "giáo cơ sở còn kiêm nhiệm nhiều việc."),
    "tuyen-truyen": (
        "Các cấp ủy đã tuyên truyền sâu rộng các ngày lễ lớn, sự kiện chính trị quan trọng của đất nước và của "
        "tỉnh; gắn việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh với thực hiện nhiệm vụ "
        "chính trị của từng cơ quan, đơn vị. Nhiều mô hình, cách làm hay ở cơ sở được nhân rộng, như "
        "“Chi bộ bốn tốt”, “Dân vận khéo” trong xây dựng nông thôn mới."),
    "han-che": (
        "Việc học tập, quán triệt nghị quyết ở một số chi bộ còn hình thức; tỷ lệ đảng viên tham gia học tập ở "
        "các chi bộ thôn, bản vùng sâu chưa cao. Một số bài thu hoạch còn sơ sài, có biểu hiện sao chép, phải "
        "làm lại. Việc thực hiện chương trình kiểm tra, giám sát của một số chi bộ chưa đúng tiến độ.\n"
        "Nguyên nhân chủ yếu là một số cấp ủy chưa thật sự quan tâm chỉ đạo; cán bộ làm công tác tuyên giáo ở cơ "
        "sở thường xuyên thay đổi, kinh nghiệm còn hạn chế; điều kiện đi lại ở vùng cao khó khăn."),
    "bai-hoc": (
        "Một là, cấp ủy phải thường xuyên, sát sao trong lãnh đạo, chỉ đạo; người đứng đầu phải gương mẫu. "
        "Hai là, đổi mới hình thức học tập, tăng cường hội nghị trực tuyến đến các điểm cầu cơ sở. Ba là, gắn "
        "việc học tập nghị quyết với kiểm tra, giám sát và đánh giá, xếp loại cuối năm."),
    "phuong-huong": (
        "Tiếp tục đổi mới nội dung, phương thức học tập, quán triệt và triển khai thực hiện các chỉ thị, nghị "
        "quyết của Đảng; phấn đấu 100% chi bộ tổ chức học tập đầy đủ, trên 95% đảng viên tham gia học tập. "
        "Nâng cao chất lượng bài thu hoạch; mỗi chi bộ có chi ủy kiểm tra ít nhất 02 đảng viên, chi bộ không có "
        "chi ủy kiểm tra ít nhất 01 đảng viên trong năm."),
    "kien-nghi": (
        "Đề nghị cấp trên tiếp tục quan tâm bồi dưỡng nghiệp vụ cho đội ngũ cán bộ làm công tác tuyên giáo cơ "
        "sở; hỗ trợ thiết bị cho các điểm cầu trực tuyến ở những xã còn khó khăn."),
}


def write_narratives(report, year: int):
    """Every section people write and nobody has written yet, as a committee office would (the
    demo's text; a section of another template gets a sentence of its own)."""
    for section in report.sections:
        if section.get("kind") == "narrative" and not report.narratives.get(section["key"], "").strip():
            text = NARRATIVES.get(section["key"], "Nội dung do văn phòng cấp ủy soạn thảo cho mục {title}.")
            services.narrative_update(actor=None, report=report, key=section["key"],
                                      text=text.format(year=year, title=section["title"]))
    report.refresh_from_db()
    return report


def build_reports_demo() -> dict:
    """The province's 2026 draft and a commune's issued 2026 report; returns what was made."""
    year = timezone.localdate().year
    period = Period.year(year)
    province = OrgUnit.objects.get(code="TQ")
    communes = OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS).annotate(n=Count("terms")).filter(n__gt=0).exclude(
        symbol="").order_by("path")
    commune = communes.filter(name__startswith="Đảng bộ xã").first() or communes.first()
    made = {}
    for unit, issue in ((province, False), (commune, True)):
        if unit is None:
            continue
        report = services.report_build(services.report_create(actor=None, unit=unit, start=period.start,
                                                               end=period.end))
        write_narratives(report, year)
        if issue:
            services.report_issue(actor=None, report=report)
        made[unit.code] = report
    return made
