"""Pages for the org tree, members and imports. Thin: access helper, service, template."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.audit.services import audit_for
from dangvu.jobs import runner
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.keys import (
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
)
from dangvu.lib.xlsx import XLSX_TYPE, xlsx_response
from dangvu.orgs import imports, services
from dangvu.orgs.access import (
    decisions_for_user,
    get_candidate_for_user,
    get_import_job_for_user,
    get_member_for_user,
    get_unit_for_user,
    may_erase,
    may_erase_candidate,
    scoped_units,
)
from dangvu.orgs.forms import AdmissionForm, CandidateForm, ImportUploadForm, MemberEventForm, MemberForm
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
from dangvu.orgs.scope import not_found, scope_for
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
    in_subtree = Candidate.objects.filter(unit__path__startswith=unit.path)
    # one whose personal data were erased left the list: only counted (dangvu/accounts/erasure.py)
    candidates = member_search(in_subtree.filter(erased_on__isnull=True).select_related("unit"),
                               request.GET.get("q", ""))
    if request.GET.get("format") == "xlsx":
        headers = [_("Full name"), _("Date of birth"), _("Sex"), _("Stage"), _("Unit")]
        rows = ([c.full_name, c.date_of_birth, c.get_sex_display(), c.get_stage_display(), c.unit.name]
                for c in candidates.iterator(chunk_size=2000))
        return xlsx_response(f"quan-chung-uu-tu-{unit.code}.xlsx", _("Admission candidates"), headers, rows)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    can_add = unit.holds_members and unit.valid_to is None and scope_for(request).can(MEMBERS_WRITE, unit.path)
    return render(request, "orgs/candidate_list.html", {
        "unit": unit, "page": page, "q": request.GET.get("q", ""), "can_add": can_add,
        "erased": in_subtree.filter(erased_on__isnull=False).count(),
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


# --- admission candidates: added, corrected, moved through the stages, admitted ------------------

def candidate_create(request, pk):
    unit = get_unit_for_user(request, pk, MEMBERS_WRITE)
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(actor=request.user, unit=unit, **form.values)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The candidate was added."))
            return redirect("orgs:candidate", pk=candidate.pk)
    return render(request, "orgs/candidate_form.html", {
        "form": form, "unit": unit, "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def _stage_steps(candidate: Candidate) -> tuple[list, str | None, str | None]:
    """The stages in order, each marked done or current; the stage a step on reaches (not
    admission: it has its own action) and the one a step back does."""
    order = list(Candidate.Stage)
    at = order.index(candidate.stage)
    steps = [(stage, "done" if n < at else "current" if n == at else "") for n, stage in enumerate(order)]
    admitted = candidate.stage == Candidate.Stage.ADMITTED
    following = order[at + 1] if at + 1 < len(order) - 1 else None
    previous = order[at - 1] if at > 0 and not admitted else None
    return steps, following, previous


def candidate_detail(request, pk):
    candidate = get_candidate_for_user(request, pk)
    scope = scope_for(request)
    steps, following, previous = _stage_steps(candidate)
    member = candidate.member
    changeable = member is None and candidate.erased_on is None  # neither admitted nor erased: still changed here
    context = {
        "candidate": candidate, "steps": steps, "following": following, "previous": previous,
        "breadcrumbs": breadcrumbs(request, candidate.unit) + [candidate.unit],
        "can_write": scope.can(MEMBERS_WRITE, candidate.unit.path) and changeable,
        "can_admit": candidate.stage == Candidate.Stage.CONSIDERED and changeable,
        "can_erase": changeable and candidate.stage != Candidate.Stage.ADMITTED and may_erase_candidate(request, candidate),
        "member": member if member is not None and scope.can(MEMBERS_READ, member.unit.path) else None,
        "audit": audit_for(candidate)[:20] if scope.can(AUDIT_READ, candidate.unit.path) else None,
    }
    return render(request, "orgs/candidate_detail.html", context)


def _closed(request, candidate: Candidate):
    """An admitted candidate's record is the member's, an erased one's stays as it is: back to
    their page, saying so. None for a candidate still changed here."""
    if candidate.member_id:
        messages.error(request, _("This candidate has been admitted: their record is now the member's."))
    elif candidate.erased_on is not None:
        messages.error(request, _("The personal data of this candidate were erased: the record can no longer be "
                                  "changed, moved on or admitted."))
    else:
        return None
    return redirect("orgs:candidate", pk=candidate.pk)


def candidate_edit(request, pk):
    candidate = get_candidate_for_user(request, pk, MEMBERS_WRITE)
    if (closed := _closed(request, candidate)) is not None:
        return closed
    form = CandidateForm(request.POST or None, instance=Candidate.objects.get(pk=candidate.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_update(actor=request.user, candidate=candidate, **form.values)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The candidate's details were saved."))
            return redirect("orgs:candidate", pk=candidate.pk)
    return render(request, "orgs/candidate_form.html", {
        "form": form, "candidate": candidate, "unit": candidate.unit,
        "breadcrumbs": breadcrumbs(request, candidate.unit) + [candidate.unit]})


@require_POST
def candidate_stage(request, pk):
    """A step on to the next stage, or back one (a mistake corrected), from the candidate's page."""
    candidate = get_candidate_for_user(request, pk, MEMBERS_WRITE)
    try:
        candidate = services.candidate_stage(actor=request.user, candidate=candidate,
                                             stage=request.POST.get("stage", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Stage now: %(stage)s.") % {"stage": candidate.get_stage_display()})
    return redirect("orgs:candidate", pk=candidate.pk)


def candidate_admit(request, pk):
    """Kết nạp: the candidate becomes a probationary member of their cell, dated, with the
    admission decision chosen from the registers the user reads."""
    candidate = get_candidate_for_user(request, pk, MEMBERS_WRITE)
    if (closed := _closed(request, candidate)) is not None:
        return closed
    form = AdmissionForm(request.POST or None, decisions=_decisions_offered(request, candidate.unit))
    if request.method == "POST" and not form.is_valid() and form.has_error("decision", "invalid_choice"):
        not_found(request, DOCUMENTS_READ)  # a decision the user may not cite: as if it did not exist
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.candidate_admit(actor=request.user, candidate=candidate,
                                              admission_date=data["admission_date"], decision=data["decision"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was admitted to the Party on %(date)s, a probationary member.") % {
                "name": member.full_name, "date": member.admission_date.strftime("%d/%m/%Y")})
            return redirect("orgs:member", pk=member.pk)
    return render(request, "orgs/candidate_admit.html", {
        "form": form, "candidate": candidate, "breadcrumbs": breadcrumbs(request, candidate.unit) + [candidate.unit]})


def member_detail(request, pk):
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


DECISIONS_OFFERED = 300  # the latest; older ones are rarely the decision of a change recorded now


def _decisions_offered(request, unit: OrgUnit):
    """The latest decisions the user reads in the registers of `unit` and those above it."""
    latest = list(decisions_for_user(request, unit).values_list("pk", flat=True)[:DECISIONS_OFFERED])
    return decisions_for_user(request, unit).filter(pk__in=latest)


def member_event(request, pk):
    """Record what happened to a member (transfer, full membership, death, xóa tên, khai trừ,
    moving away), dated, with its decision: the daily actions a cell's office takes."""
    member = get_member_for_user(request, pk, MEMBERS_WRITE)
    if member.status not in ACTIVE_STATUSES:
        messages.error(request, _("This member is no longer in the Party's rolls here: nothing more can be recorded."))
        return redirect("orgs:member", pk=member.pk)
    cells = (scoped_units(request, MEMBERS_WRITE).filter(kind=UnitKind.CELL, valid_to__isnull=True)
             .exclude(pk=member.unit_id).order_by("path"))
    form = MemberEventForm(request.POST or None, cells=cells, full=member.status == MemberStatus.FULL,
                           decisions=_decisions_offered(request, member.unit))
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
