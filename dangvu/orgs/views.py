"""Pages for the org tree, members and imports. Thin: access helper, service, template."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.accounts.permissions import (
    ACCESS_MANAGE,
    AUDIT_READ,
    AUDIT_READ_ACCESS,
    DOCUMENTS_READ,
    EVALUATION_READ,
    INSPECTIONS_READ,
    MEETINGS_READ,
    MEMBERS_IMPORT,
    MEMBERS_READ,
    MEMBERS_WRITE,
    REPORTS_READ,
    STUDY_READ,
    UNITS_READ,
    UNITS_WRITE,
    scope_for,
)
from dangvu.audit.services import audit_for
from dangvu.jobs import runner
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.xlsx import XLSX_TYPE, xlsx_response
from dangvu.orgs import imports, services
from dangvu.orgs.access import get_import_job_for_user, get_member_for_user, get_unit_for_user, scoped_units
from dangvu.orgs.forms import ImportUploadForm, MemberEventForm, MemberForm
from dangvu.orgs.models import (
    ACTIVE_STATUSES,
    Candidate,
    ImportJob,
    Member,
    MemberStatus,
    OrgUnit,
    UnitKind,
    UnitRole,
)
from dangvu.orgs.selectors import member_search, members_in_subtree, unit_overview
from dangvu.orgs.tasks import APPLY, CHECK

PAGE_SIZE = 50


def home(request):
    scope = scope_for(request)
    if scope.is_superuser:
        roots = list(OrgUnit.get_root_nodes())
    else:
        roots = list(OrgUnit.objects.filter(path__in=scope.roots(UNITS_READ)).order_by("path"))
    if len(roots) == 1:
        return redirect("orgs:unit", pk=roots[0].pk)
    if not roots and hasattr(request.user, "member"):
        return redirect("essays:notebook")
    return render(request, "orgs/home.html", {"roots": roots})


def breadcrumbs(request, unit: OrgUnit) -> list[OrgUnit]:
    scope = scope_for(request)
    return [a for a in OrgUnit.objects.get_ancestors(unit) if scope.sees(a.path)]


def unit_detail(request, pk):
    unit = get_unit_for_user(request, pk)
    scope = scope_for(request)
    today_roles = (UnitRole.objects.filter(unit=unit, end__isnull=True)
                   .select_related("member").order_by("role", "member__sort_key"))
    context = {
        "unit": unit,
        "breadcrumbs": breadcrumbs(request, unit),
        "overview": unit_overview(unit),
        "roles": today_roles,
        "terms": unit.terms.all()[:5],
        "predecessors": unit.predecessor_links.select_related("predecessor"),
        "successors": unit.successor_links.select_related("successor"),
        "can_read_members": scope.can(MEMBERS_READ, unit.path),
        "can_import": scope.can(MEMBERS_IMPORT, unit.path),
        "can_study": scope.can(STUDY_READ, unit.path),
        "can_documents": scope.can(DOCUMENTS_READ, unit.path),
        "can_inspections": scope.can(INSPECTIONS_READ, unit.path),
        "can_evaluation": scope.can(EVALUATION_READ, unit.path),
        "can_meetings": scope.can(MEETINGS_READ, unit.path),
        "can_reports": scope.can(REPORTS_READ, unit.path),
        # merging the units under it, splitting it (its new siblings are the parent's to make)
        "can_merge": unit.valid_to is None and unit.numchild >= 2 and scope.can(UNITS_WRITE, unit.path),
        "can_split": unit.valid_to is None and unit.depth > 1 and scope.can(UNITS_WRITE, unit.path[:-OrgUnit.steplen]),
        "can_write_members": scope.can(MEMBERS_WRITE, unit.path),
        "can_add_members": unit.holds_members and scope.can(MEMBERS_WRITE, unit.path),
        "can_manage_access": scope.can(ACCESS_MANAGE, unit.path),
        "can_read_access_log": scope.can(AUDIT_READ_ACCESS, unit.path),
        "audit": audit_for(unit)[:20] if scope.can(AUDIT_READ, unit.path) else None,
    }
    return render(request, "orgs/unit_detail.html", context)


def _member_rows(members, names: dict[str, str]):
    step = OrgUnit.steplen
    for m in members:
        yield [m.full_name, m.date_of_birth, m.get_sex_display(), m.admission_date, m.official_date,
               m.get_status_display(), m.card_number or "", m.phone, m.email, m.unit.name,
               names.get(m.unit.path[:-step], ""), m.unit.code]


def _unit_names(unit: OrgUnit) -> dict[str, str]:
    """path → name of the unit and every unit below it: "Chi bộ Công an xã" is in dozens of
    communes, so a member's cell is shown with the unit it belongs to."""
    return dict(OrgUnit.objects.filter(path__startswith=unit.path).values_list("path", "name"))


def unit_members(request, pk):
    unit = get_unit_for_user(request, pk, MEMBERS_READ)
    include_inactive = request.GET.get("all") == "1"
    members = member_search(members_in_subtree(unit, include_inactive=include_inactive), request.GET.get("q", ""))
    if request.GET.get("format") == "xlsx":
        headers = [_("Full name"), _("Date of birth"), _("Sex"), _("Admission date"), _("Full-membership date"),
                   _("Status"), _("Party card number"), _("Phone"), _("E-mail"), _("Units"), _("belongs to"),
                   _("Unit code")]
        return xlsx_response(f"dang-vien-{unit.code}.xlsx", _("Members"), headers,
                             _member_rows(members.iterator(chunk_size=2000), _unit_names(unit)))
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    step = OrgUnit.steplen
    parents = dict(OrgUnit.objects.filter(path__in={m.unit.path[:-step] for m in page}).exclude(pk=unit.pk)
                   .values_list("path", "name"))
    for m in page:  # the cell's commune, where the list spans several (not the listed unit itself)
        m.parent_name = parents.get(m.unit.path[:-step], "") if m.unit_id != unit.pk else ""
    context = {"unit": unit, "page": page, "q": request.GET.get("q", ""), "all": include_inactive,
               "breadcrumbs": breadcrumbs(request, unit) + [unit],
               "can_write": scope_for(request).can(MEMBERS_WRITE, unit.path)}
    template = "orgs/_member_rows.html" if request.headers.get("HX-Request") else "orgs/member_list.html"
    return render(request, template, context)


def unit_candidates(request, pk):
    """Quần chúng ưu tú of a unit's subtree, sorted the Vietnamese way, with their stage."""
    unit = get_unit_for_user(request, pk, MEMBERS_READ)
    candidates = member_search(Candidate.objects.filter(unit__path__startswith=unit.path).select_related("unit"),
                               request.GET.get("q", ""))
    if request.GET.get("format") == "xlsx":
        headers = [_("Full name"), _("Date of birth"), _("Sex"), _("Stage"), _("Unit")]
        rows = ([c.full_name, c.date_of_birth, c.get_sex_display(), c.get_stage_display(), c.unit.name]
                for c in candidates.iterator(chunk_size=2000))
        return xlsx_response(f"quan-chung-uu-tu-{unit.code}.xlsx", _("Admission candidates"), headers, rows)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/candidate_list.html", {
        "unit": unit, "page": page, "q": request.GET.get("q", ""),
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def member_detail(request, pk):
    from dangvu.accounts.erasure import may_erase
    from dangvu.audit.reads import PAGE, record_read
    from dangvu.orgs.access import is_own

    member = get_member_for_user(request, pk)
    record_read(request, member, PAGE)  # who read whose record: one INSERT, nothing looked up
    scope = scope_for(request)
    active = member.status in ACTIVE_STATUSES
    context = {
        "member": member,
        "breadcrumbs": breadcrumbs(request, member.unit) + ([member.unit] if scope.sees(member.unit.path) else []),
        "spans": member.spans.select_related("unit", "from_unit", "to_unit", "decision").order_by("start", "id"),
        "exemptions": member.exemptions.select_related("decision").order_by("start", "id"),
        "roles": member.roles.select_related("unit"),
        "can_write": scope.can(MEMBERS_WRITE, member.unit.path), "active": active,
        "audit": audit_for(member)[:20] if scope.can(AUDIT_READ, member.unit.path) else None,
        "own": is_own(request, member), "can_erase": not active and may_erase(request, member),
    }
    return render(request, "orgs/member_detail.html", context)


def member_edit(request, pk):
    """Correct a member's details. A save from a form opened before another officer's save is
    refused, nothing written: the page says who changed what, and keeps this officer's input."""
    from django.db import transaction

    from dangvu.lib.concurrency import EditConflict, claim_version, conflict, rebound

    member = get_member_for_user(request, pk, MEMBERS_WRITE)
    form = MemberForm(request.POST or None, instance=Member.objects.get(pk=member.pk))
    crossed = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claim_version(Member, member.pk, form.cleaned_data["version"])
                services.member_update(actor=request.user, member=member, **form.values)
        except EditConflict:
            current = Member.objects.get(pk=member.pk)
            crossed = conflict(form, form.stored(current), audit_for(current).first())
            form = rebound(MemberForm, request, current.version, instance=current)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The member's details were saved."))
            return redirect("orgs:member", pk=member.pk)
    return render(request, "orgs/member_form.html", {"form": form, "member": member, "unit": member.unit,
                                                     "conflict": crossed}, status=409 if crossed else 200)


def member_create(request, pk):
    unit = get_unit_for_user(request, pk, MEMBERS_WRITE)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(actor=request.user, unit=unit, **form.values)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The member was added."))
            return redirect("orgs:member", pk=member.pk)
    return render(request, "orgs/member_form.html", {"form": form, "unit": unit})


def member_event(request, pk):
    """Record what happened to a member (transfer, full membership, death, xóa tên, khai trừ,
    moving away), dated, with its decision: the daily actions a cell's office takes."""
    from django.apps import apps

    member = get_member_for_user(request, pk, MEMBERS_WRITE)
    if member.status not in ACTIVE_STATUSES:
        messages.error(request, _("This member is no longer in the Party's rolls here: nothing more can be recorded."))
        return redirect("orgs:member", pk=member.pk)
    scope = scope_for(request)
    cells = (scoped_units(request, MEMBERS_WRITE).filter(kind=UnitKind.CELL, valid_to__isnull=True)
             .exclude(pk=member.unit_id).order_by("path"))
    registers = [u.pk for u in [*OrgUnit.objects.get_ancestors(member.unit), member.unit] if scope.sees(u.path)]
    decisions = (apps.get_model("documents", "Document").objects
                 .filter(unit_id__in=registers, direction="issued", withdrawn_on__isnull=True)
                 .select_related("unit").order_by("-issued_on", "-id")[:300])
    form = MemberEventForm(request.POST or None, cells=cells, full=member.status == MemberStatus.FULL,
                           decisions=apps.get_model("documents", "Document").objects.filter(
                               pk__in=[d.pk for d in decisions]).order_by("-issued_on", "-id"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["event"] == "transfer":
                services.member_transfer(actor=request.user, member=member, to_unit=data["unit"],
                                         on_date=data["date"], reason=data["note"], decision=data["decision"])
            elif data["event"] == "full":
                services.member_make_full(actor=request.user, member=member, on_date=data["date"],
                                          decision=data["decision"])
            elif data["event"] in ("exempt", "suspended"):
                services.exemption_record(actor=request.user, member=member, kind=data["event"],
                                          start=data["date"], end=data["until"], reason=data["note"],
                                          decision=data["decision"])
            else:
                services.member_leave(actor=request.user, member=member, reason=data["event"], on_date=data["date"],
                                      decision=data["decision"], note=data["note"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Recorded: %(event)s on %(date)s.") % {
                "event": dict(form.fields["event"].choices)[data["event"]], "date": data["date"].strftime("%d/%m/%Y")})
            return redirect("orgs:member", pk=member.pk)
    return render(request, "orgs/member_event.html", {
        "form": form, "member": member, "breadcrumbs": breadcrumbs(request, member.unit) + [member.unit]})


def me(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404
    return redirect("orgs:member", pk=member.pk)


# --- import ------------------------------------------------------------------

def import_template(request):
    response = HttpResponse(imports.build_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi-dang-vien.xlsx"'
    return response


def import_start(request, pk):
    unit = get_unit_for_user(request, pk, MEMBERS_IMPORT)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.import_job_create(actor=request.user, unit=unit, file_name=upload.name, content=upload.read())
        return redirect("orgs:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(unit=unit).defer("content")[:10]
    return render(request, "orgs/import_start.html",
                  {"unit": unit, "form": form, "jobs": jobs, "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def import_job(request, pk):
    job = get_import_job_for_user(request, pk)
    context = {"job": job, "unit": job.unit, "progress": runner.progress_of(runner.latest([CHECK, APPLY], job.pk)),
               "breadcrumbs": breadcrumbs(request, job.unit) + [job.unit]}
    if request.headers.get("HX-Request"):
        return render(request, "orgs/_import_status.html", context)
    return render(request, "orgs/import_job.html", context)


@require_POST
def import_apply(request, pk):
    job = get_import_job_for_user(request, pk)
    try:
        services.import_job_apply(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("orgs:import_job", pk=job.pk)
