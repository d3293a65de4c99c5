"""`dangvu send_reminders`: e-mail each member, once a day, what they have to do in every area
(essays due or returned, tomorrow's cell meeting and unanswered invitations, the evaluation).
Run it daily from cron (or by `dangvu housekeeping`) when EMAIL_HOST is set; running it again the
same day sends nothing twice."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from dangvu.notebook.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail members, once a day, what they have to do: essays, cell meetings, evaluation."

    def handle(self, *args, **options):
        if not settings.EMAIL_CONFIGURED:
            self.stdout.write("Chưa cấu hình e-mail (EMAIL_HOST): nhắc việc chỉ hiện trong sổ tay.")
            return
        sent = send_reminders(timezone.localdate())
        self.stdout.write(f"Đã gửi {sent} thư nhắc việc.")
