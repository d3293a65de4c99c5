"""Criteria frameworks: the sub-criteria of each form and their points. The centre fixes only
the totals (general criteria 30, tasks 70); a committee may set its own for its subtree. The
defaults below follow the forms of Hướng dẫn 43-HD/BTCTW; they are data, kept in the
database on first use, and a committee's edit is a new version."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.evaluation.models import GENERAL_POINTS, TASK_POINTS, Form, Framework
from dangvu.orgs.models import OrgUnit, path_prefixes

_GENERAL_MEMBER = [
    ("Tư tưởng chính trị; chấp hành chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước", 8),
    ("Phẩm chất đạo đức, lối sống; những điều đảng viên không được làm", 8),
    ("Ý thức tổ chức kỷ luật; tinh thần tự phê bình và phê bình", 7),
    ("Tác phong, lề lối làm việc; giữ mối liên hệ với chi ủy và nhân dân nơi cư trú", 7),
]
DEFAULT_CRITERIA = {
    Form.COLLECTIVE: [
        ("Lãnh đạo công tác chính trị, tư tưởng", 8),
        ("Công tác tổ chức, cán bộ, đảng viên và xây dựng tổ chức đảng", 8),
        ("Công tác kiểm tra, giám sát và thi hành kỷ luật đảng", 7),
        ("Lãnh đạo công tác dân vận và các đoàn thể chính trị - xã hội", 7),
        ("Kết quả lãnh đạo thực hiện nhiệm vụ chính trị được giao", 50, "tasks"),
        ("Khắc phục hạn chế, khuyết điểm đã được chỉ ra", 20, "tasks"),
    ],
    Form.LEADER: _GENERAL_MEMBER + [
        ("Kết quả thực hiện nhiệm vụ của cơ quan, đơn vị được giao lãnh đạo, quản lý", 30, "tasks"),
        ("Năng lực lãnh đạo, quản lý, điều hành; trách nhiệm người đứng đầu", 20, "tasks"),
        ("Kết quả thực hiện nhiệm vụ cá nhân và nhiệm vụ chi bộ giao", 20, "tasks"),
    ],
    Form.MEMBER: _GENERAL_MEMBER + [
        ("Kết quả thực hiện nhiệm vụ chuyên môn, công việc được giao", 45, "tasks"),
        ("Kết quả thực hiện nhiệm vụ được chi bộ phân công", 25, "tasks"),
    ],
    Form.OUTSIDE: _GENERAL_MEMBER + [
        ("Kết quả lao động, sản xuất, kinh doanh, học tập", 40, "tasks"),
        ("Kết quả thực hiện nhiệm vụ được chi bộ phân công và tham gia hoạt động ở nơi cư trú", 30, "tasks"),
    ],
}


def _as_rows(entries) -> list[dict]:
    return [{"group": e[2] if len(e) > 2 else "general", "title": e[0], "points": e[1]} for e in entries]


def shipped(form: str) -> Framework:
    """The framework dangvu ships for `form`, made on first use."""
    found = Framework.objects.filter(unit=None, form=form).order_by("-version").first()
    if found is None:
        found, _created = Framework.objects.get_or_create(
            unit=None, form=form, version=1, defaults={"criteria": _as_rows(DEFAULT_CRITERIA[form])})
    return found


def framework_for(unit: OrgUnit, form: str) -> Framework:
    """The latest framework for `form` set by the nearest committee at or above `unit`, else the
    one dangvu ships."""
    return frameworks_for([unit], [form])[(unit.pk, form)]


def frameworks_for(units: list[OrgUnit], forms) -> dict[tuple[int, str], Framework]:
    """framework_for for many units at once: {(unit id, form): framework}, in two queries."""
    paths = {p for u in units for p in path_prefixes(u.path)}
    set_here: dict[tuple[str, str], Framework] = {}
    for f in Framework.objects.filter(unit__path__in=paths, form__in=forms).select_related("unit").order_by("version"):
        set_here[(f.unit.path, f.form)] = f  # the latest version wins
    found = {}
    for form in forms:
        default = None
        for unit in units:
            best = next((set_here[(p, form)] for p in reversed(path_prefixes(unit.path)) if (p, form) in set_here),
                        None)
            if best is None:
                default = default or shipped(form)
                best = default
            found[(unit.pk, form)] = best
    return found


def check_criteria(criteria) -> tuple[list[dict], dict]:
    """The criteria cleaned, and what is wrong with them (field "criteria", naming the row)."""
    rows, problems = [], []
    if not isinstance(criteria, list) or not criteria:
        return [], {"criteria": _("Give at least one criterion.")}
    for n, item in enumerate(criteria, 1):
        title = str(item.get("title", "")).strip() if isinstance(item, dict) else ""
        group = item.get("group") if isinstance(item, dict) else None
        try:
            points = Decimal(str(item.get("points"))) if isinstance(item, dict) else None
        except InvalidOperation:
            points = None
        if not title:
            problems.append(_("Criterion %(n)s has no title.") % {"n": n})
        if group not in ("general", "tasks"):
            problems.append(_("Criterion %(n)s belongs to neither the general criteria nor the tasks.") % {"n": n})
        if points is None or not points.is_finite() or points <= 0:
            problems.append(_("Criterion %(n)s needs points above zero.") % {"n": n})
            continue
        rows.append({"group": group, "title": title, "points": float(points)})
    if not problems:
        for group, total in (("general", GENERAL_POINTS), ("tasks", TASK_POINTS)):
            got = sum(Decimal(str(r["points"])) for r in rows if r["group"] == group)
            if got != total:
                label = _("the general criteria") if group == "general" else _("the results of tasks")
                problems.append(_("The points of %(group)s add up to %(got)s; they must make %(total)s.")
                                % {"group": label, "got": f"{got.normalize():f}".replace(".", ","), "total": total})
    return rows, ({"criteria": " ".join(problems)} if problems else {})


@transaction.atomic
def framework_set(*, actor, unit: OrgUnit, form: str, criteria) -> Framework:
    """A committee's own criteria for `form` in its subtree: a new version; ratings made with
    an older one keep it."""
    if form not in Form.values:
        raise ValidationError({"form": _("Unknown form.")})
    rows, errors = check_criteria(criteria)
    if errors:
        raise ValidationError(errors)
    last = Framework.objects.filter(unit=unit, form=form).order_by("-version").first()
    framework = Framework.objects.create(unit=unit, form=form, version=(last.version + 1) if last else 1,
                                         criteria=rows)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=framework, unit_path=unit.path,
                 alters_figures=False, changes={"form": [None, form], "version": [None, framework.version]})
    return framework
