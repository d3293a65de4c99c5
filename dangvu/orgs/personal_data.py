"""What orgs holds about a member, for their own download (dangvu/audit/personal.py): their
record, its dated history, exemptions, roles and the candidacy that led to it."""

from django.utils.translation import gettext_lazy as _

from dangvu.audit.personal import section
from dangvu.orgs.models import Candidate, Exemption, Member, MemberSpan, UnitRole

POSITION = 0  # the record itself comes first


def _reference(document) -> str | None:
    return document.reference if document is not None else None


def records_of(member: Member) -> list:
    spans = member.spans.select_related("unit", "from_unit", "to_unit", "decision").order_by("start", "id")
    out = [
        section("orgs.member", _("Member record"), Member, [member], [
            "full_name", "date_of_birth", "sex", "unit", "admission_date", "official_date", "status",
            "card_number", "phone", "email"]),
        section("orgs.history", _("Unit history"), MemberSpan, spans, [
            ("start", _("from")), ("start_change", _("how it began")), ("from_unit", _("coming from")),
            ("end", _("until")), ("end_change", _("how it ended")), ("to_unit", _("going to")),
            ("unit", _("Unit")), ("status", _("status")),
            ("decision", _("decision"), lambda s: _reference(s.decision)), ("reason", _("reason"))]),
        section("orgs.exemptions", _("Exemptions and suspensions"), Exemption,
                member.exemptions.select_related("decision").order_by("start", "id"), [
                    "kind", "start", "end", "reason", ("decision", None, lambda e: _reference(e.decision))]),
        section("orgs.roles", _("Roles"), UnitRole, member.roles.select_related("unit", "term").order_by("start", "id"), [
            "role", ("unit", _("Unit")), ("term", _("term")), "start", "end"]),
    ]
    candidacy = Candidate.objects.filter(member=member).select_related("unit")
    out.append(section("orgs.candidacy", _("Admission candidacy"), Candidate, candidacy, [
        ("unit", _("Unit")), "stage"]))
    return out
