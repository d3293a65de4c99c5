"""`dangvu scan_closed_campaigns`: queue the copy check for every campaign whose essay
deadline has passed and that has not been checked since. Run it daily (cron); the
task worker does the checking."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangvu.essays.services import scan_closed_campaigns


class Command(BaseCommand):
    help = "Queue the copy check for campaigns whose essay deadline has passed."

    def handle(self, *args, **options):
        queued = scan_closed_campaigns(timezone.localdate())
        for scan in queued:
            self.stdout.write(f"Đã xếp lịch kiểm tra sao chép: {scan.campaign.title}")
        self.stdout.write(f"{len(queued)} đợt học tập được kiểm tra.")
