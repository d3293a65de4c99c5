"""Essays: handing in (by the member, or by an office for the paper ones), review, and the copy
check's runs; each write atomic and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record, diff, snapshot
from dangvu.essays.models import Essay, EssayStatus, IntegrityScan, ReturnReason
from dangvu.integrity.vietnamese import tokens
from dangvu.lib import uploads
from dangvu.lib.files import extract_text
from dangvu.orgs.history import paths_since
from dangvu.orgs.models import Member
from dangvu.study.models import (
    Campaign,
)
from dangvu.study.participation import first_days
from dangvu.study.services import acting_user, not_cancelled

# a member's essay as text: a long book pasted by mistake is refused, not stored
MAX_ESSAY_CHARS = 200_000


def essay_text(file_name: str | None, data: bytes | None, text: str) -> str:
    """An essay's text from its file or as typed (a .doc through LibreOffice): called before
    any transaction opens."""
    if data is not None:
        body, field = extract_text(file_name, data), "file"
    else:
        body, field = (text or "").strip(), "text"
        if not body:
            raise ValidationError({"text": _("The essay is empty: upload a file or type the text.")})
        from dangvu.integrity.vietnamese import to_unicode

        body = to_unicode(body)
    if len(body) > MAX_ESSAY_CHARS:
        raise ValidationError({field: _("The essay is longer than %(max)s characters: check that this is the right text.")
                               % {"max": f"{MAX_ESSAY_CHARS:,}".replace(",", ".")}})
    return body


def essay_submit(*, actor, campaign: Campaign, member: Member, file_name: str | None = None,
                 data: bytes | None = None, text: str = "", today: datetime.date | None = None,
                 own: bool = False) -> Essay:
    """First submission, a replacement before review, or the rework of a returned essay; each
    after the first counts as a new submission (version). A member handing in their own essay
    (`own`) must reach the campaign's minimum number of words; an office uploading what members
    handed in on paper may not refuse it (the copy check then reports it as thin).

    The file is read (a .doc through LibreOffice, seconds) before any transaction opens: a
    hostile or slow file never holds the database's locks while it converts."""
    not_cancelled(campaign)
    if not campaign.essay_required:
        raise ValidationError(_("This campaign does not ask for an essay."))
    if data is not None:  # a full disk refuses the file before seconds are spent reading it
        uploads.check_room(Essay.file.field.storage, file_name, len(data))
    body = essay_text(file_name, data, text)
    return essay_record(actor=actor, campaign=campaign, member=member, file_name=file_name, data=data, body=body,
                        today=today, own=own)


def essay_files_sweep(older_than: datetime.timedelta = uploads.STRAY_FILE_AGE) -> list[str]:
    """Essay files no row names: left by a request killed before its commit, or the file of an
    essay handed in again (only the latest is kept). Removed; their names."""
    kept = Essay.objects.exclude(file="").values_list("file", flat=True)
    return uploads.stray_files_remove("essays", kept, older_than=older_than)


@uploads.discard_on_failure()  # the stored file goes if the transaction rolls back
@transaction.atomic
def essay_record(*, actor, campaign: Campaign, member: Member, body: str, file_name: str | None = None,
                 data: bytes | None = None, today: datetime.date | None = None, own: bool = False) -> Essay:
    """The essay recorded from its text already read (essay_text), in one transaction."""
    today = today or timezone.localdate()
    not_cancelled(campaign)
    first_day = first_days(campaign, [member.pk]).get(member.pk)
    if first_day is None:
        raise ValidationError(_("%(name)s is not taking part in this campaign.") % {"name": member.full_name})
    if today < first_day:
        raise ValidationError(_("%(name)s takes part in this campaign from %(day)s: an essay cannot be handed in "
                                "before then.") % {"name": member.full_name, "day": first_day.strftime("%d/%m/%Y")})
    essay = Essay.objects.select_for_update().filter(campaign=campaign, member=member).first()
    if essay is not None and essay.status == EssayStatus.PASSED:
        raise ValidationError(_("This essay has already been accepted; it cannot be replaced."))
    returned = essay is not None and essay.status == EssayStatus.RETURNED
    if not returned and campaign.essay_deadline and today > campaign.essay_deadline:
        raise ValidationError(_("The deadline (%(d)s) has passed.") % {"d": campaign.essay_deadline.strftime("%d/%m/%Y")})
    words = len(tokens(body))  # the copy check's syllables: one meaning of "word" for both
    if own and words < campaign.min_words:
        raise ValidationError({"text": _("Your essay has %(n)s words; this campaign asks for at least %(min)s. "
                                         "Write at least %(more)s more words.")
                               % {"n": words, "min": campaign.min_words, "more": campaign.min_words - words}})
    now = timezone.now()
    if essay is None:
        essay = Essay(campaign=campaign, member=member, status=EssayStatus.SUBMITTED, text=body, submitted_at=now)
        action = AuditEntry.Action.CREATE
    else:
        essay.text, essay.submitted_at, essay.version = body, now, essay.version + 1
        if returned:
            essay.status = EssayStatus.RESUBMITTED
        action = AuditEntry.Action.UPDATE
    if data is not None:
        uploads.store(essay.file, file_name, data)  # NoRoom (nothing kept) on a full disk
        essay.file_name = file_name
    else:
        essay.file, essay.file_name = None, ""
    essay.save()
    audit_record(actor=actor, action=action, obj=essay, unit_path=member.unit.path,
                 changes={"status": [None, essay.status], "version": [None, essay.version]},
                 figures_from=campaign.start, figure_paths=paths_since([member.pk], campaign.start))
    return essay


@transaction.atomic
def essay_review(*, actor, essay: Essay, accept: bool, reason: str = "", note: str = "") -> Essay:
    """Accept, or return for rework with a reason (thin, copied, other); kept with the essay."""
    essay = Essay.objects.select_for_update().select_related("member__unit").get(pk=essay.pk)
    if not essay.awaiting_review:
        raise ValidationError(_("This essay has already been decided (%(status)s); it waits for no review.")
                              % {"status": essay.get_status_display()})
    before = snapshot(essay, ["status", "return_reason", "reviewer_note"])
    if accept:  # a reworked essay keeps why it was returned: the year's figures count it
        essay.status = EssayStatus.PASSED
    else:
        if reason not in ReturnReason.values:
            raise ValidationError({"reason": _("Say why the essay is returned: thin, copied or other.")})
        if reason == ReturnReason.OTHER and not note.strip():
            raise ValidationError({"note": _("Write a note saying what to rework.")})
        essay.status, essay.return_reason, essay.was_returned = EssayStatus.RETURNED, reason, True
    essay.reviewer_note = note.strip()
    essay.reviewed_by, essay.reviewed_at = acting_user(actor), timezone.now()
    essay.save()
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=essay, unit_path=essay.member.unit.path,
                 changes=diff(before, snapshot(essay, ["status", "return_reason", "reviewer_note"])),
                 figures_from=essay.campaign.start, figure_paths=paths_since([essay.member_id], essay.campaign.start))
    return essay


# --- the copy check ----------------------------------------------------------------------

@transaction.atomic
def scan_request(*, actor, campaign: Campaign, on_close: bool = False) -> IntegrityScan:
    """Queue a copy check, unless one is already waiting or running for the campaign."""
    running = campaign.scans.select_for_update().filter(status__in=[IntegrityScan.Status.QUEUED,
                                                                      IntegrityScan.Status.RUNNING]).first()
    if running is not None:
        if on_close and not running.on_close:
            running.on_close = True
            running.save(update_fields=["on_close"])
        return running
    scan = IntegrityScan.objects.create(campaign=campaign, requested_by=acting_user(actor), on_close=on_close)
    from dangvu.essays.tasks import SCAN
    from dangvu.jobs import runner

    runner.enqueue(SCAN, scan.pk, user=acting_user(actor))
    return scan


def scan_closed_campaigns(today: datetime.date) -> list[IntegrityScan]:
    """When submissions close: one copy check per campaign whose deadline has passed."""
    due = (Campaign.objects.filter(essay_required=True, essay_deadline__lt=today, essays__isnull=False)
           .exclude(scans__on_close=True).distinct())
    return [scan_request(actor=None, campaign=c, on_close=True) for c in due]
