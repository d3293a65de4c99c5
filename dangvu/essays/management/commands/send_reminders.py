"""`dangvu send_reminders`: e-mail members whose essays are due within a week or were returned.
Run it daily from cron when EMAIL_HOST is set."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from dangvu.essays.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail members about essays due within 7 days or returned for rework."

    def handle(self, *args, **options):
        if not settings.EMAIL_CONFIGURED:
            self.stdout.write("Chưa cấu hình e-mail (EMAIL_HOST): nhắc việc chỉ hiện trong sổ tay.")
            return
        sent = send_reminders(timezone.localdate())
        self.stdout.write(f"Đã gửi {sent} thư nhắc việc.")
