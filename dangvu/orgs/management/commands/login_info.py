import os

from django.core.management.base import BaseCommand

from dangvu.orgs.management.commands.demo import CREDENTIALS


class Command(BaseCommand):
    help = "Print how to log in to the local installation."

    def handle(self, *args, **options):
        address = f"{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8000')}"  # make serve chooses them
        self.stdout.write(f"\n  dangvu đang chạy tại http://{address}\n")
        if CREDENTIALS.exists():
            self.stdout.write("  Tài khoản mẫu (mật khẩu sinh ngẫu nhiên khi nạp dữ liệu mẫu):")
            self.stdout.write("  tên          mật khẩu       vai trò")
            self.stdout.write(CREDENTIALS.read_text())
        else:
            self.stdout.write("  Chưa có tài khoản mẫu: tạo bằng `.venv/bin/dangvu createsuperuser`.\n")
