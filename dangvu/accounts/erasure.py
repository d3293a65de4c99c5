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
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.accounts.models import ApiToken
from dangvu.accounts.permissions import MEMBERS_WRITE, scope_for
from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.orgs.access import get_member_for_user
from dangvu.orgs.models import ACTIVE_STATUSES, Member, OrgUnit

# what an erasure may empty, and how the page names it
ERASABLE = {
    "phone": gettext_lazy("phone number on the member's record"),
    "email": gettext_lazy("e-mail address on the member's record"),
    "account": gettext_lazy("login account: its e-mail, names and password, second factor, API tokens and "
                            "teams; the account is deactivated, its user name kept for the change log"),
}


def _committee_path(member: Member) -> str:
    """The unit above the member's cell: erasing is that committee's decision, not the cell's."""
    return member.unit.path[:-OrgUnit.steplen]


def may_erase(request, member: Member) -> bool:
    """Whether the user may erase this member's personal data (no query: the member comes with
    its unit, the scope is the request's)."""
    above = _committee_path(member)
    return bool(above) and scope_for(request).can(MEMBERS_WRITE, above)


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
