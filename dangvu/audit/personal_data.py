"""What the change log holds about a member, for their own download (dangvu/audit/personal.py):
the changes made to their record and to their login account, when and what. Who made each
change is the committee's working record, shown only with audit:read, and stays out."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.personal import section

POSITION = 90  # last: the changes to what comes before


def records_of(member) -> list:
    about = Q(model="orgs.member", object_id=str(member.pk))
    if member.user_id is not None:
        about |= Q(model="auth.user", object_id=str(member.user_id))
    entries = AuditEntry.objects.filter(about).order_by("at", "id")
    return [section("audit.changes", _("Change log"), AuditEntry, entries, [
        ("at", _("When")), ("action", _("What")), ("changes", _("Changes"), lambda e: e.sentences)])]
