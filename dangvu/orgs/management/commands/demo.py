import secrets
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from dangvu.accounts.models import Team
from dangvu.lib.keys import AUDIT_READ, AUDIT_READ_ACCESS, FULL_KEYS, MEMBERS_READ, READ_KEYS, UNITS_READ
from dangvu.lib.numbers import fmt_int
from dangvu.orgs.demo import build_demo, build_merge_example, demo_plain_member
from dangvu.orgs.models import Member, OrgUnit, RoleKind, UnitKind, UnitRole

CREDENTIALS = settings.VAR_DIR / "demo-credentials.txt"


class Command(BaseCommand):
    help = "Load the deterministic demo organisation (only into an empty database) and its demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=8000)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when units already exist")
        parser.add_argument("--no-accounts", action="store_true")

    def handle(self, *args, members, seed, if_empty, no_accounts, **options):
        if OrgUnit.objects.exists():
            if if_empty:
                self.stdout.write("Dữ liệu mẫu đã có sẵn, bỏ qua.")
                return
            self.stderr.write("Cơ sở dữ liệu đã có đơn vị; chỉ nạp dữ liệu mẫu vào cơ sở dữ liệu trống.")
            raise SystemExit(1)
        started = time.monotonic()
        result = build_demo(members=members, seed=seed, progress=options.get("verbosity", 1) > 0)
        build_merge_example()
        from dangvu.orgs.demo import build_history_demo

        history = build_history_demo(seed=seed)
        from dangvu.study.demo import build_study_demo

        study = build_study_demo(seed=seed, progress=options.get("verbosity", 1) > 0)
        from dangvu.inspections.demo import build_inspections_demo

        inspections = build_inspections_demo(seed=seed)
        from dangvu.evaluation.demo import build_evaluation_demo

        evaluation = build_evaluation_demo(seed=seed)
        from dangvu.meetings.demo import build_meetings_demo

        meetings = build_meetings_demo(seed=seed)
        from dangvu.targets.demo import build_targets_demo

        targets = build_targets_demo()
        from dangvu.reports.demo import build_reports_demo

        reports = build_reports_demo()
        from dangvu.reports.demo_last_year import build_last_year_demo

        build_last_year_demo(seed=seed)  # last: its own random draws, nothing before it changes
        from dangvu.figures.store import forget_all
        from dangvu.lib.planner import refresh_statistics

        forget_all()  # the demo writes in bulk, beside the services: nothing kept meanwhile stays
        refresh_statistics()  # and the planner learns of its rows now, not at autovacuum's next pass
        if not no_accounts:
            self._accounts()
        self.stdout.write(f"Đã tạo {result['units']} đơn vị, {result['members']} đảng viên "
                          f"trong {time.monotonic() - started:.1f} giây.")
        self.stdout.write(f"Học tập: {study['documents']} văn bản, {study['campaigns']} đợt học tập, "
                          f"{study['attendance']} lượt điểm danh, {study['essays']} bài thu hoạch, "
                          f"{study['classes']} lớp bồi dưỡng.")
        self.stdout.write(f"Biến động đảng viên trong năm: {history['transfers']} chuyển sinh hoạt, "
                          f"{history['died']} từ trần, {history['removed']} xóa tên hoặc khai trừ.")
        self.stdout.write(f"Kiểm tra, giám sát: {inspections['planned']} mục trong chương trình, "
                          f"{inspections['held']} cuộc đã tiến hành; {inspections['cells_met']}/{inspections['cells']} "
                          f"chi bộ đạt chỉ tiêu kiểm tra.")
        if evaluation.get("rounds"):
            self.stdout.write(f"Đánh giá, xếp loại: năm trước {evaluation['last_rated']} đảng viên và tổ chức đảng "
                              f"được xếp loại ({evaluation['last_good_or_better']} hoàn thành tốt trở lên), "
                              f"{evaluation['not_rated']} không xếp loại; năm nay {evaluation['submitted']}/"
                              f"{evaluation['subjects']} đã tự đánh giá.")
        self.stdout.write(f"Sinh hoạt chi bộ: {meetings['meetings']} buổi trong năm, {meetings['marks']} lượt điểm danh, "
                          f"{meetings['alerts']} đảng viên vắng không lý do từ 3 tháng; đảng phí đã thu "
                          f"{fmt_int(meetings.get('dues', 0))} đồng.")
        self.stdout.write(f"Chỉ tiêu năm: {targets} chỉ tiêu của Tỉnh ủy.")
        self.stdout.write(f"Báo cáo tổng kết: {len(reports)} báo cáo (dự thảo của Tỉnh ủy, một báo cáo xã đã ban hành).")

    @transaction.atomic
    def _accounts(self) -> None:
        users = get_user_model().objects
        province = OrgUnit.objects.get(code="TQ")
        grassroots = OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS).order_by("path").first()
        secretary_role = (UnitRole.objects.filter(role=RoleKind.SECRETARY, unit__kind=UnitKind.CELL)
                          .select_related("member", "unit").order_by("unit__path").first())
        # a plain member: no role anywhere, so the account shows what a member sees
        plain = demo_plain_member(secretary_role.unit)
        lines = []

        def make(username, note, **extra):
            password = "dv" + secrets.token_urlsafe(9)  # never starting with "-", which reads as an option
            user = users.create_user(username=username, password=password, **extra)
            lines.append(f"  {username:<12} {password:<14} {note}")
            return user

        make("admin", "quản trị toàn hệ thống", is_superuser=True, is_staff=True)
        officer = make("tuyengiao", f"cán bộ Ban Tuyên giáo, phạm vi {province.name}")
        Team.objects.create(name="Ban Tuyên giáo và Dân vận Tỉnh ủy", unit=province,
                            permissions=sorted(FULL_KEYS)).users.add(officer)
        # the committee's internal-security officer: reads members' records and who read them
        security = make("baove", f"bảo vệ chính trị nội bộ, phạm vi {province.name}")
        Team.objects.create(name="Bảo vệ chính trị nội bộ Tỉnh ủy", unit=province, permissions=sorted(
            {UNITS_READ, MEMBERS_READ, AUDIT_READ, AUDIT_READ_ACCESS})).users.add(security)
        viewer = make("xem", f"chỉ xem, phạm vi {grassroots.name}")
        Team.objects.create(name="Theo dõi (chỉ xem)", unit=grassroots, permissions=sorted(READ_KEYS)).users.add(viewer)
        secretary = make("bithu", f"bí thư {secretary_role.unit.name}")
        Member.objects.filter(pk=secretary_role.member_id).update(user=secretary)
        member_user = make("dangvien", f"đảng viên {plain.full_name}")
        Member.objects.filter(pk=plain.pk).update(user=member_user)
        CREDENTIALS.parent.mkdir(parents=True, exist_ok=True)
        CREDENTIALS.write_text("\n".join(lines) + "\n")
        CREDENTIALS.chmod(0o600)
