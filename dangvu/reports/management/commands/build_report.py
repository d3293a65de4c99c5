"""Build a unit's report in the terminal, with progress, and write its files:

    dangvu build_report --unit TQ --year 2026 --out var/bao-cao
"""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dangvu.orgs.models import OrgUnit
from dangvu.reports import services
from dangvu.reports.document import render_pdf, report_docx, report_xlsx


class Command(BaseCommand):
    help = "Lập báo cáo tổng kết của một đơn vị (tính số liệu, ghi tệp .docx, .xlsx và .pdf nếu có LibreOffice)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ TQ")
        parser.add_argument("--year", type=int, default=datetime.date.today().year)
        parser.add_argument("--out", default="var/bao-cao", help="thư mục ghi tệp")

    def handle(self, *args, unit, year, out, **options):
        found = OrgUnit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"Không có đơn vị mã “{unit}”.")
        try:
            report = services.report_create(actor=None, unit=found, start=datetime.date(year, 1, 1),
                                            end=datetime.date(year, 12, 31))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with tqdm(total=2, desc="Tính số liệu (kỳ này, kỳ trước)", unit="kỳ") as bar:
            def progress(done, total):
                bar.n = done
                bar.refresh()

            report = services.report_build(report, progress)
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"bao-cao-{found.code}-{year}"
        (folder / f"{name}.docx").write_bytes(report_docx(report))
        (folder / f"{name}-phu-luc.xlsx").write_bytes(report_xlsx(report))
        pdf = render_pdf(report)  # in the terminal: no request waits on it
        if pdf is not None:
            (folder / f"{name}.pdf").write_bytes(pdf)
        self.stdout.write(f"Đã lập dự thảo báo cáo số {report.pk} của {found.name} năm {year}; tệp trong {folder}/"
                          + ("" if pdf is not None else " (chưa có bản PDF: máy chưa cài LibreOffice)."))
