"""What essays holds about a member, for their own download (dangvu/audit/personal.py): each
essay with its text, its file (put in the download beside the data) and its review. Who reviewed
it stays out, as on the member's own essay page."""

from django.utils.translation import gettext_lazy as _

from dangvu.audit.personal import section
from dangvu.essays.models import Essay


def records_of(member) -> list:
    essays = Essay.objects.filter(member=member).select_related("campaign").order_by("submitted_at", "id")
    return [section("essays.essays", _("Essays"), Essay, essays, [
        ("campaign", _("Campaign"), lambda e: e.campaign.title), "status", "submitted_at",
        ("version", _("submissions")), "return_reason", "reviewer_note", ("reviewed_at", _("reviewed on")),
        "text", ("file", _("file"))])]
