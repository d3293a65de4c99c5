"""The head of a party document: who issues it, where, on whose behalf, who signs and who
receives it. Reports, evaluation decisions and meeting minutes all print the same head."""

import datetime

from django.db.models import Q

from dangvu.orgs.models import OrgUnit, RoleKind, UnitKind, UnitRole

_PREFIXES = ("đảng bộ", "chi bộ", "đảng ủy")
_PLACE_WORDS = ("thành phố", "thị trấn", "đặc khu", "tỉnh", "xã", "phường")


def issuer_of(unit: OrgUnit) -> str:
    """The issuing body: Đảng bộ xã Hùng An → Đảng ủy xã Hùng An, Đảng bộ tỉnh Cao Bằng →
    Tỉnh ủy Cao Bằng, a cell by its name. (The header prints it in capitals.)"""
    name = unit.name.strip()
    if unit.kind == UnitKind.CELL or not name.lower().startswith("đảng bộ"):
        return name
    rest = name[len("Đảng bộ"):].strip()
    if unit.kind == UnitKind.PROVINCE:
        for word, body in (("tỉnh", "Tỉnh ủy"), ("thành phố", "Thành ủy")):
            if rest.lower().startswith(word):
                return f"{body} {rest[len(word):].strip()}"
    return f"Đảng ủy {rest}"


def place_of(unit: OrgUnit) -> str:
    """The place the date line names: the commune's, ward's or province's own name; a cell or
    an agency's committee (Đảng bộ Sở Y tế) writes the place of the nearest one above it; the
    central level writes Hà Nội."""
    for candidate in [unit] + list(reversed(OrgUnit.objects.get_ancestors(unit))):
        if candidate.kind == UnitKind.CENTRAL:  # a central agency's committee, or the central level
            return "Hà Nội"
        name = candidate.name.strip()
        for prefix in _PREFIXES:
            if name.lower().startswith(prefix):
                name = name[len(prefix):].strip()
                break
        for word in _PLACE_WORDS:
            if name.lower().startswith(word + " "):
                return name[len(word):].strip()
    return unit.name


def on_behalf_of(unit: OrgUnit) -> str:
    if unit.kind == UnitKind.CELL:
        return "T/M CHI BỘ"
    if unit.kind == UnitKind.CENTRAL:
        return "T/M BỘ CHÍNH TRỊ"
    if unit.kind == UnitKind.PROVINCE:
        return "T/M BAN THƯỜNG VỤ"
    return "T/M ĐẢNG ỦY"


def secretary_on(unit: OrgUnit, day: datetime.date) -> str:
    role = (UnitRole.objects.filter(unit=unit, role=RoleKind.SECRETARY, start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day)).select_related("member").order_by("-start").first())
    return role.member.full_name if role else ""


def default_head(unit: OrgUnit, day: datetime.date) -> dict:
    parent = OrgUnit.objects.get_parent(unit)
    return {
        # a province's committee prints only its own name (nothing of the central level above it)
        "above": parent.name.upper() if parent and parent.kind != UnitKind.CENTRAL else "",
        "issuer": issuer_of(unit).upper(),
        "place": place_of(unit),
        "on_behalf": on_behalf_of(unit),
        "signer_title": "TỔNG BÍ THƯ" if unit.kind == UnitKind.CENTRAL else "BÍ THƯ",
        "signer": secretary_on(unit, day),
        "recipients": ([f"- {issuer_of(parent)} (b/c);"] if parent else [])
                      + (["- Các đảng viên trong chi bộ;", "- Lưu chi bộ."] if unit.kind == UnitKind.CELL
                         else ["- Lưu Văn phòng Trung ương Đảng."] if unit.kind == UnitKind.CENTRAL
                         else [f"- Lưu Văn phòng {issuer_of(unit)}."]),  # a cell has no office of its own
    }
