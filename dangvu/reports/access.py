"""Reports and templates for a user. A report is read with reports:read over its unit and
the read keys of every figure it prints, and written with reports:write; issuing also needs documents:write (it takes a number from the
register). A template is used at its unit and below; the shipped one everywhere. Outside
the scope: 404, naming nothing."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from dangvu.lib import measures
from dangvu.lib.keys import REPORTS_READ, REPORTS_WRITE
from dangvu.orgs.models import OrgUnit, path_prefixes
from dangvu.orgs.scope import check_path, not_found, scope_for
from dangvu.reports.models import Report, ReportTemplate


def get_report_for_user(request, pk, key: str = REPORTS_READ) -> Report:
    """A report is read by those who may read it and every figure it prints (a member given
    reports:read does not read the inspections' figures of their cell through its report)."""
    # where it is, first: a report's row is large (its figures, sections and issued .docx), and
    # reading it only for someone who may read it keeps a forbidden id as quick as a missing one
    path = Report.objects.filter(pk=pk).values_list("unit__path", flat=True).first()
    if path is None:
        not_found(request, key)
    check_path(request, path, key)
    report = Report.objects.select_related("unit", "template__template", "document").get(pk=pk)
    scope = scope_for(request)
    hidden = sorted({m.label for m in printed_measures(report) if not scope.can(m.permission, report.unit.path)},
                    key=str)
    if hidden:
        raise PermissionDenied(_("This report prints figures your account may not read: %(names)s.")
                               % {"names": ", ".join(str(h) for h in hidden)})
    return report


def printed_measures(report: Report) -> list:
    """The measures the report's sections print (its computed text, targets, tables and charts)."""
    keys = {k for s in report.sections or [] for k in [*s.get("keys", []), *s.get("measures", [])]}
    return [m for m in map(measures.get, sorted(keys)) if m is not None]


def templates_for_unit(unit: OrgUnit):
    """The templates a unit may write from: the shipped one and those of its committee and above."""
    return ReportTemplate.objects.filter(Q(unit__isnull=True) | Q(unit__path__in=path_prefixes(unit.path)))


def get_template_for_unit(unit: OrgUnit, pk) -> ReportTemplate:
    template = templates_for_unit(unit).filter(pk=pk).first()
    if template is None:
        raise Http404
    return template


def get_template_for_user(request, pk, key: str = REPORTS_WRITE) -> ReportTemplate:
    """A committee's template, to edit (the shipped one is read by everyone and edited by no one)."""
    template = ReportTemplate.objects.select_related("unit").filter(pk=pk).first()
    if template is None:
        not_found(request, key)
    if template.unit_id is not None:
        check_path(request, template.unit.path, key)
    elif key != REPORTS_READ:
        raise Http404
    return template
