"""Erasing the personal data that the Party's rules do not keep, of someone who has left.

A member's Party record is kept: their name, dates, card number, history, roles, essays,
ratings, meetings and dues stay, since the rules keep a member's record and the year's figures
count it. What the work no longer needs once the person has left the rolls here (transferred
out of the system, struck off, expelled, died) is how to reach them and the means to sign in:
the phone and e-mail on their record and, on their login account, its e-mail, names and password,
its second factor, tokens and teams; the account is deactivated and keeps its user name, which
the change log names as the author of past changes. Only someone who may edit members in the
committee above the member's cell erases, after confirming; the change log records who, when
and which fields, never what they held.

An admission candidate (quần chúng ưu tú) who was not admitted is no Party record. When they
leave the list (they withdrew, moved away, or were not admitted), the same officer may erase
their personal data, after confirming: the name becomes "Đã xóa thông tin cá nhân", the date of
birth keeps only its year, and the candidate leaves the cell's list and can no longer be edited,
moved on or admitted. The row itself stays, since the figures of the classes on the Party count
its enrolments. The earlier entries of the change log keep who changed what and when, but the
name and date of birth they held are replaced by a marker, in the candidate's own entries and
in those of the classes they were enrolled in, so the name is left nowhere. A candidate who was
admitted is refused: their record is the member's now.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from dangvu.accounts.models import ApiToken
from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.lib.keys import MEMBERS_WRITE
from dangvu.orgs.access import get_candidate_for_user, get_member_for_user, may_erase, may_erase_candidate
from dangvu.orgs.models import ACTIVE_STATUSES, Candidate, Member, PersonName

# what an erasure may empty, and how the page names it
ERASABLE = {
    "phone": gettext_lazy("phone number on the member's record"),
    "email": gettext_lazy("e-mail address on the member's record"),
    "account": gettext_lazy("login account: its e-mail, names and password, second factor, API tokens and "
                            "teams; the account is deactivated, its user name kept for the change log"),
}


def get_member_to_erase(request, pk) -> Member:
    """404 outside the user's members (or read-only there: 403), as every member page; inside,
    403 unless they edit members in the committee above the cell."""
    member = get_member_for_user(request, pk, MEMBERS_WRITE)
    if not may_erase(request, member):
        raise PermissionDenied
    return member


def _account_in_use(user) -> bool:
    return user is not None and (user.is_active or user.has_usable_password() or bool(user.email))


def erasable(member: Member) -> list[str]:
    """The kinds of data this erasure would empty (keys of ERASABLE)."""
    found = [name for name in ("phone", "email") if getattr(member, name)]
    if _account_in_use(member.user):
        found.append("account")
    return found


def refusal(member: Member) -> str | None:
    """Why nothing may be erased, in words for the page; None when the erasure may go ahead."""
    if member.status in ACTIVE_STATUSES:
        return _("%(name)s is still a member here: the cell needs their contact details and their account, so "
                 "nothing is erased. Personal data can be erased only after the member has left the rolls here "
                 "(transferred out of the system, struck off, expelled or died).") % {"name": member.full_name}
    if not erasable(member):
        return _("Nothing is left to erase: the record has no phone or e-mail and the account is already "
                 "deactivated. The Party record itself is kept, as the rules require.")
    return None


@transaction.atomic
def personal_data_erase(*, actor, member: Member) -> list[str]:
    """Empty what `erasable` lists; the Party record is untouched. Returns what was erased."""
    member = Member.objects.select_for_update(of=("self",)).select_related("unit", "user").get(pk=member.pk)
    why = refusal(member)
    if why is not None:
        raise ValidationError(why)
    erased = erasable(member)
    member.phone, member.email = "", ""
    member.save(update_fields=["phone", "email"])
    user = member.user
    if "account" in erased:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user.email = user.first_name = user.last_name = ""
        user.set_unusable_password()  # also ends the sessions it had: their hash no longer matches
        user.is_active, user.last_login = False, None
        user.save(update_fields=["email", "first_name", "last_name", "password", "is_active", "last_login"])
        TOTPDevice.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        user.teams.clear()
    audit_record(actor=actor, action=AuditEntry.Action.ERASE, obj=member, unit_path=member.unit.path,
                 changes={"erased": erased}, alters_figures=False)
    return erased


# --- admission candidates who were not admitted -----------------------------------------------

CANDIDATE_ERASED = ["full_name", "date_of_birth"]


def _in_records_language(message) -> str:
    """Text stored in place of what was erased: in the records' language, whoever erases."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message)


def erased_name() -> str:
    """What stands in the name's place ("Đã xóa thông tin cá nhân")."""
    return _in_records_language(pgettext_lazy("in place of an erased name", "Personal data erased"))


def erased_mark() -> str:
    """What the change log shows where an erased value was."""
    return _in_records_language(gettext_lazy("(erased)"))


def get_candidate_to_erase(request, pk) -> Candidate:
    """404 outside the user's members (read-only there: 403), as every candidate page; inside,
    403 unless they edit members in the committee above the cell."""
    candidate = get_candidate_for_user(request, pk, MEMBERS_WRITE)
    if not may_erase_candidate(request, candidate):
        raise PermissionDenied
    return candidate


def candidate_refusal(candidate: Candidate) -> str | None:
    """Why nothing may be erased, in words for the page; None when the erasure may go ahead."""
    if candidate.member_id or candidate.stage == Candidate.Stage.ADMITTED:
        return _("%(name)s was admitted to the Party: the record is the member's now and the rules keep it, so "
                 "nothing is erased.") % {"name": candidate.full_name}
    if candidate.erased_on is not None:
        return _("The personal data of this candidate were erased on %(date)s: nothing is left to erase.") % {
            "date": candidate.erased_on.strftime("%d/%m/%Y")}
    return None


def _marked(value, mark: str):
    """A logged value, or a [before, after] pair, with whatever it held replaced by `mark`."""
    if isinstance(value, list):
        return [_marked(v, mark) for v in value]
    return value if value in (None, "") else mark


def _without_name(value, name: str, mark: str):
    """A logged value with the name replaced wherever a line is the name or begins "name:"."""
    if isinstance(value, str):
        return mark + value[len(name):] if value == name or value.startswith(name + ":") else value
    if isinstance(value, list):
        return [_without_name(v, name, mark) for v in value]
    if isinstance(value, dict):
        return {k: _without_name(v, name, mark) for k, v in value.items()}
    return value


def _logs_naming(candidate: Candidate, name: str) -> Q:
    """The change log entries of what the candidate's rows hang on: the classes they were
    enrolled in, whose logs name who was enrolled and with what result. Those apps stand above
    this one (pyproject's layers), so they are reached through the relations, not imported.
    A class where someone else of the same name is enrolled is left: its lines may be theirs."""
    found = Q(pk__in=[])
    for relation in candidate._meta.related_objects:
        if not relation.one_to_many:
            continue
        model, own = relation.related_model, relation.field.name
        fields = [f for f in model._meta.concrete_fields if f.many_to_one]
        namesakes = Q(pk__in=[])  # (other candidates too, through the same column)
        for person in (f for f in fields if issubclass(f.related_model, PersonName)):
            namesakes |= Q(**{f"{person.name}__full_name": name})
        rows = model._default_manager.filter(**{own: candidate})
        for parent in (f for f in fields if not issubclass(f.related_model, PersonName)):
            ids = set(rows.values_list(parent.attname, flat=True)) - {None}
            shared = set(model._default_manager.filter(namesakes, **{f"{parent.attname}__in": ids})
                         .exclude(**{own: candidate}).values_list(parent.attname, flat=True))
            found |= Q(model=parent.related_model._meta.label_lower, object_id__in=[str(i) for i in ids - shared])
    return found


@transaction.atomic
def candidate_erase(*, actor, candidate: Candidate) -> list[str]:
    """Erase the name and the day and month of birth of a candidate who left the list unadmitted,
    and the values the change log held of them; the row and its enrolments stay. Returns the
    fields erased."""
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("unit").get(pk=candidate.pk)
    why = candidate_refusal(candidate)
    if why is not None:
        raise ValidationError(why)
    name, placeholder, mark = candidate.full_name, erased_name(), erased_mark()
    candidate.full_name = placeholder
    # The column is NOT NULL, as every candidate still on a list needs a date of birth (the age
    # rule, the 18th birthday at admission): the year alone stands for it, no more telling than
    # an age band, rather than a made-up day or a column a live candidate could leave empty.
    candidate.date_of_birth = candidate.date_of_birth.replace(month=1, day=1)
    candidate.erased_on = timezone.localdate()
    candidate.save(update_fields=["full_name", "date_of_birth", "erased_on", "sort_key", "name_key"])

    own_log = AuditEntry.objects.select_for_update().filter(model=candidate._meta.label_lower,
                                                            object_id=str(candidate.pk))
    for entry in own_log:  # who changed what and when stays; what the name and birth date were goes
        entry.changes = {key: _marked(value, mark) if key in CANDIDATE_ERASED else value
                         for key, value in entry.changes.items()}
        entry.object_repr = placeholder
        entry.save(update_fields=["changes", "object_repr"])
    for entry in AuditEntry.objects.select_for_update().filter(_logs_naming(candidate, name)):
        changes = _without_name(entry.changes, name, mark)
        if changes != entry.changes:
            entry.changes = changes
            entry.save(update_fields=["changes"])
    audit_record(actor=actor, action=AuditEntry.Action.ERASE, obj=candidate, unit_path=candidate.unit.path,
                 changes={"erased": CANDIDATE_ERASED}, alters_figures=False)
    return list(CANDIDATE_ERASED)
