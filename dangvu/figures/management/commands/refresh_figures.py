from django.core.management.base import BaseCommand

from dangvu.figures.recount import warm_top_units
from dangvu.figures.store import forget_all


class Command(BaseCommand):
    help = "Quên mọi số liệu đã lưu (sau khi dữ liệu được sửa ngoài dangvu: psql, khôi phục bản sao lưu) và tính lại số liệu của các đơn vị cấp trên cùng."

    def add_arguments(self, parser):
        parser.add_argument("--no-warm", action="store_true", help="Chỉ quên số liệu đã lưu, không tính lại ngay.")

    def handle(self, *args, **options):
        forgotten = forget_all()
        self.stdout.write(f"Đã quên {forgotten} số liệu đã lưu.")
        if not options["no_warm"]:
            units = warm_top_units()
            self.stdout.write(f"Đã tính lại số liệu của {units} đơn vị cấp trên cùng.")
