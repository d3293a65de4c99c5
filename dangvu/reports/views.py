"""A unit's reports (list, a new one, its templates), one report (its figures with where
each came from, narrative sections to write, head and foot, rebuild, issue, correct,
downloads and a preview of its pages), and a template's editor."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.audit.services import audit_for
from dangvu.jobs import runner
from dangvu.lib import measures, partydoc
from dangvu.lib.concurrency import EditConflict, conflict, opened_version, rebound
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.keys import DOCUMENTS_WRITE, REPORTS_READ, REPORTS_WRITE
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.scope import scope_for
from dangvu.orgs.views import breadcrumbs
from dangvu.reports import services
from dangvu.reports.access import get_report_for_user, get_template_for_user, templates_for_unit
from dangvu.reports.forms import HeadForm, IssueForm, NarrativeForm, ReportForm, TemplateCopyForm
from dangvu.reports.models import Report, SectionKind
from dangvu.reports.tasks import BUILD
from dangvu.reports.wording import fmt_count, fmt_percent


def unit_reports(request, pk):
    unit = get_unit_for_user(request, pk, REPORTS_READ)
    can_write = scope_for(request).can(REPORTS_WRITE, unit.path)
    services.shipped_template()  # made on first use, so that there is always one to write from
    templates = templates_for_unit(unit).select_related("unit")
    which = request.POST.get("form") if request.method == "POST" else None
    if which and not can_write:
        raise PermissionDenied
    form = ReportForm(request.POST if which == "report" else None, templates=templates)
    copy_form = TemplateCopyForm(request.POST if which == "template" else None, templates=templates, prefix="tpl")
    if which == "report" and form.is_valid():
        try:
            report = services.report_create(actor=request.user, unit=unit, start=form.cleaned_data["start"],
                                            end=form.cleaned_data["end"], template=form.cleaned_data["template"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):  # the service names the days as the API does: from, to
                exc = ValidationError({form.period_field(k): v for k, v in exc.error_dict.items()})
            apply_form_errors(form, exc)
        else:
            return redirect("reports:detail", report.pk)
    if which == "template" and copy_form.is_valid():
        try:
            template = services.template_create(actor=request.user, unit=unit, name=copy_form.cleaned_data["name"],
                                                based_on=copy_form.cleaned_data["based_on"])
        except ValidationError as exc:
            apply_form_errors(copy_form, exc)
        else:
            return redirect("reports:template", template.pk)
    return render(request, "reports/unit_reports.html", {
        "unit": unit, "reports": unit.reports.select_related("document", "template__template"),
        "templates": templates, "form": form, "copy_form": copy_form, "can_write": can_write,
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def report_detail(request, pk):
    report = get_report_for_user(request, pk)
    scope = scope_for(request)
    can_write = scope.can(REPORTS_WRITE, report.unit.path)
    crossed = None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if request.POST.get("action") in ("narrative", "computed"):
            response, crossed = _narrative(request, report)
        elif request.POST.get("action") == "head":
            response, crossed = _head(request, report)
        else:
            response = _act(request, report)
        if response is not None:
            return response
        report.refresh_from_db()
    context = _context(request, report, can_write, scope.can(DOCUMENTS_WRITE, report.unit.path))
    if request.headers.get("HX-Request") and request.GET.get("status"):
        return render(request, "reports/_status.html", {**context, "partial": True})
    return render(request, "reports/report_detail.html", {**context, "conflict": crossed},
                  status=409 if crossed else 200)


def _narrative(request, report: Report):
    """A section's text posted (a narrative one, or a computed one's edited wording): (a
    redirect, None) once saved; (None, what to show) when another officer saved other text in
    the section since this one opened it."""
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return None, None
    key, text = form.cleaned_data["key"], form.cleaned_data["text"]
    computed = request.POST.get("action") == "computed"
    update = services.computed_update if computed else services.narrative_update
    try:
        update(actor=request.user, report=report, key=key, text=text, version=opened_version(request.POST.get("version")))
    except EditConflict as exc:
        last = audit_for(report).filter(changes__has_key=f"{'computed' if computed else 'narrative'}:{key}").first()
        return None, {**conflict(None, {}, last), "changes": [], "key": key, "mine": text,
                      "version": exc.current_version}
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None, None
    messages.success(request, _("Saved."))
    return redirect(f"{request.path}#section-{key}"), None


def _head(request, report: Report):
    """The heading and signature form posted: (a redirect, None) once saved; (None, what to
    show: the stored values beside the officer's, and their input again) when another officer
    saved the form since this one opened it."""
    form = HeadForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return None, None
    data = dict(form.cleaned_data)
    recipients, version = data.pop("recipients").splitlines(), data.pop("version")
    try:
        services.head_update(actor=request.user, report=report, recipients=recipients, version=version, **data)
    except EditConflict as exc:
        report.refresh_from_db()
        current = {**report.head, "recipients": "\n".join(report.head.get("recipients", []))}
        last = audit_for(report).filter(changes__has_any_keys=list(HeadForm.base_fields)).first()
        return None, {**conflict(form, current, last), "key": "head",
                      "form": rebound(HeadForm, request, exc.current_version)}
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None, None
    messages.success(request, _("Saved."))
    return redirect(request.path), None


def _act(request, report: Report):
    """One POSTed action; a redirect when it worked, None (with the error shown) when not."""
    action = request.POST.get("action")
    try:
        if action == "rebuild":
            services.report_rebuild(actor=request.user, report=report)
            return redirect(request.path)
        elif action == "issue":
            if not scope_for(request).can(DOCUMENTS_WRITE, report.unit.path):
                raise PermissionDenied
            form = IssueForm(request.POST)
            if form.is_valid():
                issued = services.report_issue(actor=request.user, report=report, on=form.cleaned_data["issued_on"])
                messages.success(request, _("Issued as %(ref)s.") % {"ref": issued.document.reference})
                return redirect(request.path)
            _form_errors(request, form)
        elif action == "correct":
            correction = services.report_correct(actor=request.user, report=report)
            return redirect("reports:detail", correction.pk)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return None


def _form_errors(request, form) -> None:
    """A form posted from the report page that did not validate: its errors, as a message."""
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))


def _context(request, report: Report, can_write: bool, can_issue: bool) -> dict:
    used = sorted({k for s in report.sections for k in s.get("keys", []) + s.get("measures", [])})
    from dangvu.reports.build import figure_of

    def shown(m):
        f = figure_of(report.values, m.key, report.unit.path)
        return fmt_percent(f.value) if m.rate else fmt_count(f.value)

    has_pdf = _office_installed()
    sources = [(m, shown(m)) for m in (measures.get(k) for k in used) if m is not None]
    head = report.head
    return {
        "report": report, "unit": report.unit, "can_write": can_write and report.editable,
        "can_issue": can_issue and can_write and report.status == Report.Status.DRAFT,
        "can_correct": can_write and report.status == Report.Status.ISSUED,
        "progress": runner.progress_of(runner.latest(BUILD, report.pk)), "sources": sources,
        "query": f"from={report.start.isoformat()}&to={report.end.isoformat()}",
        "labels": {m.key: m for m in measures.all_measures()},
        "head_form": HeadForm(initial={**head, "recipients": "\n".join(head.get("recipients", [])),
                                       "version": report.head_version}),
        "issue_form": IssueForm(initial={"issued_on": timezone.localdate()}),
        "versions": report.versions.select_related("author")[:20],
        "corrections": report.corrections.all(), "has_pdf": has_pdf,
        "pdf_ready": has_pdf and report.status not in (Report.Status.BUILDING, Report.Status.FAILED)
        and services.report_pdf(actor=request.user, report=report) is not None,
        "pages": range(2, PREVIEW_PAGES + 1),
        "breadcrumbs": breadcrumbs(request, report.unit) + [report.unit],
    }


PREVIEW_PAGES = 4  # the first pages, as pictures, in the page's preview


def _office_installed() -> bool:
    from dangvu.lib.office import office_binary

    return office_binary() is not None


def report_download(request, pk, fmt):
    from dangvu.reports import api

    report = get_report_for_user(request, pk)
    if report.status in (Report.Status.BUILDING, Report.Status.FAILED):
        raise Http404
    from dangvu.reports import document

    name = f"bao-cao-{report.unit.code}-{report.end.year}-{report.pk}"
    if fmt == "docx":
        return api.file_response(document.docx_bytes(report), f"{name}.docx", partydoc.DOCX_TYPE)
    if fmt == "xlsx":
        return api.file_response(document.report_xlsx(report), f"{name}-phu-luc.xlsx", api.XLSX)
    if fmt == "pdf":
        if not _office_installed():
            raise Http404
        data = services.report_pdf(actor=request.user, report=report)
        polling = request.headers.get("HX-Request")
        if data is None:  # the job is making it: this page looks again every few seconds
            return render(request, "reports/_pdf_coming.html" if polling else "reports/pdf_coming.html",
                          {"report": report, "unit": report.unit})
        if polling:  # ready: the browser opens it
            return HttpResponse(headers={"HX-Redirect": request.path})
        response = api.file_response(data, f"{name}.pdf", "application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    raise Http404


def report_preview(request, pk, page):
    """A page of the PDF as a picture, for the report's page (PDFium draws it)."""
    from dangvu.reports.document import pdf_page_png

    report = get_report_for_user(request, pk)
    if report.status in (Report.Status.BUILDING, Report.Status.FAILED):
        raise Http404
    picture = pdf_page_png(report, page)
    if picture is None:
        raise Http404
    response = HttpResponse(picture, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


def report_version(request, pk, number):
    """The report's text as one of its versions left it, beside the text now."""
    report = get_report_for_user(request, pk)
    version = report.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise Http404
    now = {s["key"]: s.get("text", "") for s in report.sections}
    sections = [(s, now.get(s["key"], "")) for s in version.sections if s.get("kind") in ("computed", "targets",
                                                                                          "narrative")]
    return render(request, "reports/report_version.html", {
        "report": report, "unit": report.unit, "version": version, "sections": sections,
        "breadcrumbs": breadcrumbs(request, report.unit) + [report.unit]})


def template_detail(request, pk):
    """A template's sections; its committee edits them (each save is a new version)."""
    template = get_template_for_user(request, pk, REPORTS_READ)
    can_write = template.unit_id is not None and scope_for(request).can(REPORTS_WRITE, template.unit.path)
    latest = template.latest
    sections, error = latest.sections, None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        sections = _posted_sections(request.POST)
        try:
            services.template_revise(actor=request.user, template=template, title=request.POST.get("title", ""),
                                     sections=sections)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Saved as a new version."))
            return redirect("reports:template", template.pk)
    return render(request, "reports/template_detail.html", {
        "template": template, "latest": latest, "sections": sections, "error": error, "can_write": can_write,
        "kinds": SectionKind.choices, "kind_labels": dict(SectionKind.choices), "levels": (1, 2, 3),
        "title": request.POST.get("title", latest.title) if request.method == "POST" else latest.title,
        "versions": template.versions.select_related("author"), "measures": measures.all_measures(),
        "unit": template.unit,
        "breadcrumbs": (breadcrumbs(request, template.unit) + [template.unit]) if template.unit else []})


def _posted_sections(post) -> list[dict]:
    """The editor's rows in their new order (by the number typed), dropped ones left out."""
    rows = []
    try:
        count = min(max(int(post.get("count", "0")), 0), services.MAX_SECTIONS)
    except ValueError:
        count = 0
    for n in range(count + 1):
        title = post.get(f"title-{n}", "").strip()
        if not title or post.get(f"drop-{n}"):
            continue
        try:
            order = float(post.get(f"order-{n}", n + 1))
        except ValueError:
            order = n + 1
        try:
            level = int(post.get(f"level-{n}", "2"))
        except ValueError:
            level = 2
        rows.append((order, n, {"key": post.get(f"key-{n}", ""), "title": title, "kind": post.get(f"kind-{n}", ""),
                                "level": level, "text": post.get(f"text-{n}", ""),
                                "measures": [k.strip() for k in post.get(f"measures-{n}", "").replace(",", " ").split()]}))
    return [row for _, _, row in sorted(rows, key=lambda r: (r[0], r[1]))]
