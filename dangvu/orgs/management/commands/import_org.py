from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dangvu.orgs import imports
from dangvu.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Import units and members from an .xlsx file into a unit: check everything, then write all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="code of the unit to import into")
        parser.add_argument("--user", help="username recorded in the audit trail")

    def handle(self, *args, file, unit, user, **options):
        root = OrgUnit.objects.filter(code=unit, valid_to__isnull=True).first()
        if root is None:
            raise CommandError(f"Không có đơn vị đang hoạt động mã “{unit}”.")
        actor = get_user_model().objects.filter(username=user).first() if user else None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp “{file}”.")
        plan = imports.build_plan(path.read_bytes(), root=root)
        if plan.errors:
            for e in plan.errors:
                self.stderr.write(f"{path.name}: trang “{e.sheet}”, dòng {e.row}, cột “{e.column}”: {e.message}")
            raise CommandError(f"Có {len(plan.errors)} lỗi; không có dữ liệu nào được ghi.")
        with tqdm(total=len(plan.units) + len(plan.members), desc="Nhập", unit="dòng",
                  disable=options["verbosity"] == 0) as bar:
            result = imports.apply_plan(plan, root=root, actor=actor, file_name=path.name, bar=bar)
        self.stdout.write(f"Đã nhập {result['units']} đơn vị, {result['members']} đảng viên và "
                          f"{result.get('candidates', 0)} quần chúng ưu tú vào {root.name}.")
