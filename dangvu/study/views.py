"""Pages for campaigns, sessions, attendance, essays, the copy check and the member's sổ tay.

Thin: an access helper, a service or selector, a template.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangvu.accounts.permissions import ESSAYS_REVIEW, STUDY_READ, STUDY_WRITE, scope_for
from dangvu.documents.access import documents_offered
from dangvu.documents.models import Document
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.once import remember, replayed
from dangvu.lib.periods import year_asked
from dangvu.lib.progress import progress_get
from dangvu.lib.xlsx import xlsx_response
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.selectors import member_search
from dangvu.orgs.views import breadcrumbs
from dangvu.study import bulk, services
from dangvu.study.access import (
    get_campaign_for_user,
    get_essay_for_user,
    get_own_campaign,
    get_scan_for_user,
    get_session_for_user,
    may_read_essay,
    sessions_seen_from,
)
from dangvu.study.forms import BulkUploadForm, CampaignForm, EssaySubmitForm, ReviewForm, SessionForm
from dangvu.study.highlight import side_by_side
from dangvu.study.models import (
    Attendance,
    AttendanceStatus,
    Essay,
    EssayStatus,
    IntegrityScan,
)
from dangvu.study.notebook import essay_history
from dangvu.study.selectors import (
    campaign_by_unit,
    campaign_list_figures,
    campaigns_for_unit,
    missing_members,
    session_figures,
    year_summary,
)

STAGES = {"read": gettext_lazy("Reading essays"), "compare": gettext_lazy("Comparing"),
          "passages": gettext_lazy("Finding copied passages")}


def unit_campaigns(request, pk):
    unit = get_unit_for_user(request, pk, STUDY_READ)
    campaigns = list(campaigns_for_unit(unit).order_by("-start", "-id")[:100])
    rows = campaign_list_figures(campaigns, unit)
    years = sorted({c.start.year for c in campaigns} | {timezone.localdate().year}, reverse=True)
    year, problem = year_asked(request.GET.get("year"), years[0])
    if problem:
        messages.error(request, problem)
    return render(request, "study/campaign_list.html", {
        "unit": unit, "rows": rows, "summary": year_summary(unit, year), "years": years, "can_write": scope_for(request).can(STUDY_WRITE, unit.path),
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def _campaign_form(request, unit, **kwargs) -> CampaignForm:
    # the 200 latest documents registered here or above (a subquery: the form's queryset must stay filterable)
    latest = documents_offered(unit).order_by("-issued_on")[:200]
    documents = Document.objects.filter(pk__in=latest.values("pk")).order_by("-issued_on")
    units = OrgUnit.objects.filter(path__startswith=unit.path, valid_to__isnull=True).order_by("path")
    return CampaignForm(request.POST or None, documents=documents, units=units, **kwargs)


def campaign_create(request, pk):
    unit = get_unit_for_user(request, pk, STUDY_WRITE)
    form = _campaign_form(request, unit, initial={"start": timezone.localdate()})
    if request.method == "POST" and (again := replayed(request)):
        return again
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The campaign was created."))
            remember(request, campaign_url := reverse("study:campaign", args=[campaign.pk]))
            return redirect(campaign_url)
    return render(request, "study/campaign_form.html", {
        "unit": unit, "form": form, "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def campaign_edit(request, pk):
    """Correct a campaign: only its organisers (the key over the whole campaign)."""
    campaign, _root = get_campaign_for_user(request, pk, STUDY_WRITE, organiser=True)
    initial = {name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS}
    initial.update(documents=list(campaign.documents.all()), units=list(campaign.units.all()))
    form = _campaign_form(request, campaign.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("study:campaign", pk=campaign.pk)
    return render(request, "study/campaign_form.html", {
        "unit": campaign.unit, "form": form, "campaign": campaign,
        "breadcrumbs": breadcrumbs(request, campaign.unit) + [campaign.unit]})


def _cancelled(request, cancel, done: str, back: str, shown: str):
    """Cancel through `cancel(reason)`: back to the edit page naming what stopped it, or on
    to the page that shows the thing cancelled."""
    try:
        cancel(request.POST.get("cancel_reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, done)
    return redirect(shown)


@require_POST
def campaign_cancel(request, pk):
    """Cancel a campaign (organisers only): kept and marked, counted in no figure."""
    campaign, _root = get_campaign_for_user(request, pk, STUDY_WRITE, organiser=True)
    return _cancelled(
        request, lambda reason: services.campaign_cancel(actor=request.user, campaign=campaign, reason=reason),
        _("The campaign was cancelled; it is kept and counted in no figure."),
        back=reverse("study:campaign_edit", args=[campaign.pk]), shown=reverse("study:campaign", args=[campaign.pk]))


@require_POST
def session_cancel(request, pk):
    """Cancel a session (its organiser, or the unit that held a make-up session)."""
    session, _root = get_session_for_user(request, pk, STUDY_WRITE, organiser=True)
    return _cancelled(
        request, lambda reason: services.session_cancel(actor=request.user, session=session, reason=reason),
        _("The session was cancelled; its attendance is counted in no figure."),
        back=reverse("study:session_edit", args=[session.pk]), shown=reverse("study:campaign", args=[session.campaign_id]))


def campaign_detail(request, pk):
    campaign, root = get_campaign_for_user(request, pk)
    figures, children = campaign_by_unit(campaign, root)
    if request.GET.get("format") == "xlsx":
        headers = [_("Unit"), _("Members taking part"), _("Attended"), _("Essays required"), _("Essays submitted"),
                   _("Passed"), _("Returned for rework"), _("Too thin"), _("Copied"), _("Other")]
        rows = ([u.name, f.eligible, f.attended, f.required, f.submitted, f.passed, f.returned_total,
                 f.returned["thin"], f.returned["copied"], f.returned["other"]]
                for u, f in [(root, figures)] + children)
        return xlsx_response(f"so-lieu-hoc-tap-{campaign.pk}.xlsx", _("Figures by unit"), headers, rows)
    scope = scope_for(request)
    latest_scan = campaign.scans.first()
    return render(request, "study/campaign_detail.html", {
        "campaign": campaign, "root": root, "figures": figures,
        "children": children, "sessions": sessions_seen_from(campaign, root).prefetch_related("points"),
        "session_figures": session_figures(campaign, root),
        "documents": campaign.documents.all(), "scan": latest_scan,
        "can_write": scope.can(STUDY_WRITE, campaign.unit.path),
        "can_mark": scope.can(STUDY_WRITE, root.path),
        "can_review": scope.can(ESSAYS_REVIEW, root.path),
        "can_scan": scope.can(ESSAYS_REVIEW, campaign.unit.path),
        "breadcrumbs": breadcrumbs(request, root) + [root]})


def session_create(request, pk):
    """The organiser records a session; a unit taking part (a cell whose members missed it)
    records a make-up session for its own members."""
    campaign, root = get_campaign_for_user(request, pk, STUDY_WRITE)
    make_up = root != campaign.unit
    form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate()}, make_up=make_up)
    if request.method == "POST" and (again := replayed(request)):
        return again
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_record(actor=request.user, campaign=campaign, **form.cleaned_data,
                                              unit=root if make_up else None)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The session was recorded."))
            remember(request, url := reverse("study:attendance", args=[session.pk]))
            return redirect(url)
    return render(request, "study/session_form.html", {"campaign": campaign, "form": form,
                                                       "make_up_for": root if make_up else None})


def session_edit(request, pk):
    """Correct a session: only the campaign's organisers."""
    session, _root = get_session_for_user(request, pk, STUDY_WRITE, organiser=True)
    points = "\n".join(f"{p.name}; {p.head_count}" for p in session.points.all())
    form = SessionForm(request.POST or None, initial={"title": session.title, "held_on": session.held_on,
                                                      "mode": session.mode, "place": session.place, "points": points})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("study:attendance", pk=session.pk)
    return render(request, "study/session_form.html", {"campaign": session.campaign, "form": form, "session": session})


ATTENDANCE_PAGE = 200  # members a page: a cell or a commune fits on one, a province is paged


def attendance(request, pk):
    """Mark who came, for the members of the user's part of the campaign, a page at a time."""
    session, root = get_session_for_user(request, pk, STUDY_READ)
    scope = scope_for(request)
    can_mark = scope.can(STUDY_WRITE, root.path)
    members = (services.eligible_members(session.campaign).filter(unit__path__startswith=root.path)
               .select_related("unit").order_by("unit__path", "sort_key", "id"))
    if request.method == "POST":
        if not can_mark:
            raise PermissionDenied
        # Whatever the form sends; the service refuses (by id, never by name) anyone not taking part here.
        chosen = {int(key[1:]): value for key, value in request.POST.items()
                  if key[:1] == "m" and key[1:].isdigit() and value}
        try:
            n = services.attendance_record(actor=request.user, session=session, unit_path=root.path, marks=chosen)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attendance saved (%(n)s changed).") % {"n": n})
            page_number = request.GET.get("page", "")
            return redirect(reverse("study:attendance", args=[session.pk]) + (f"?page={page_number}" if page_number.isdigit() else ""))
    if request.GET.get("format") == "xlsx":
        marks = dict(Attendance.objects.filter(session=session, member__unit__path__startswith=root.path)
                     .values_list("member_id", "status"))
        headers = [_("Full name"), _("Unit"), _("attendance")]
        labels = dict(AttendanceStatus.choices)
        rows = ([m.full_name, m.unit.name, str(labels.get(marks.get(m.pk), ""))]
                for m in members.iterator(chunk_size=2000))
        return xlsx_response(f"diem-danh-{session.pk}.xlsx", _("Attendance"), headers, rows)
    page = Paginator(members, ATTENDANCE_PAGE).get_page(request.GET.get("page"))
    marks = dict(Attendance.objects.filter(session=session, member__in=[m.pk for m in page])
                 .values_list("member_id", "status"))
    return render(request, "study/attendance.html", {
        "session": session, "campaign": session.campaign, "root": root, "can_mark": can_mark, "page": page, "q": "",
        "can_edit": scope.can(STUDY_WRITE, session.campaign.unit.path),
        "rows": [(m, marks.get(m.pk, "")) for m in page], "choices": AttendanceStatus.choices})


def campaign_missing(request, pk):
    campaign, root = get_campaign_for_user(request, pk)
    members = missing_members(campaign, root)
    if request.GET.get("format") == "xlsx":
        rows = ([m.full_name, m.unit.name] for m in members.iterator(chunk_size=2000))
        return xlsx_response(f"vang-hoc-{campaign.pk}.xlsx", _("Not yet attended"), [_("Full name"), _("Unit")], rows)
    page = Paginator(members, 100).get_page(request.GET.get("page"))
    return render(request, "study/missing.html", {"campaign": campaign, "root": root, "page": page, "q": ""})


# --- essays ------------------------------------------------------------------------------------

STATUS_FILTERS = {"none": gettext_lazy("Not submitted"), **dict(EssayStatus.choices)}


def campaign_essays(request, pk):
    """Every member taking part with their essay's status; filter by status; Excel export."""
    campaign, root = get_campaign_for_user(request, pk)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")
    members = member_search(services.eligible_members(campaign).filter(unit__path__startswith=root.path)
                            .select_related("unit"), q)
    essays = Essay.objects.filter(campaign=campaign).only(
        "id", "member_id", "status", "return_reason", "was_returned", "submitted_at", "reviewer_note")
    if status == "none":
        members = members.exclude(pk__in=Essay.objects.filter(campaign=campaign).values("member_id"))
    elif status in EssayStatus.values:
        members = members.filter(pk__in=Essay.objects.filter(campaign=campaign, status=status).values("member_id"))
    if request.GET.get("format") == "xlsx":
        headers = [_("Full name"), _("Unit"), _("status"), _("reason"), _("submitted"), _("reviewer's note")]

        def rows():
            by_member = {e.member_id: e for e in essays.filter(member__unit__path__startswith=root.path)}
            for m in members.iterator(chunk_size=2000):
                e = by_member.get(m.pk)
                yield [m.full_name, m.unit.name, e.get_status_display() if e else str(STATUS_FILTERS["none"]),
                       e.get_return_reason_display() if e and e.return_reason else "",
                       timezone.localtime(e.submitted_at).date() if e else "", e.reviewer_note if e else ""]
        return xlsx_response(f"bai-thu-hoach-{campaign.pk}.xlsx", _("Essays"), headers, rows())
    page = Paginator(members, 100).get_page(request.GET.get("page"))
    by_member = {e.member_id: e for e in essays.filter(member__in=page.object_list)}  # this page's essays only
    scope = scope_for(request)
    return render(request, "study/essay_list.html", {
        "campaign": campaign, "root": root, "page": page, "q": q, "status": status, "filters": STATUS_FILTERS,
        "rows": [(m, by_member.get(m.pk)) for m in page], "extra_query": f"&status={status}",
        "can_upload": scope.can(STUDY_WRITE, root.path), "can_review": scope.can(ESSAYS_REVIEW, root.path)})


def essay_detail(request, pk):
    essay = get_essay_for_user(request, pk)
    scope = scope_for(request)
    can_review = scope.can(ESSAYS_REVIEW, essay.member.unit.path)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.essay_review(actor=request.user, essay=essay, accept=form.cleaned_data["decision"] == "accept",
                                      reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The decision was saved."))
                if request.POST.get("next"):
                    return redirect(_safe_next(request))
                return redirect("study:essay", pk=essay.pk)
    return render(request, "study/essay_detail.html", {"essay": essay, "form": form, "can_review": can_review})


def _safe_next(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def essay_file(request, pk):
    essay = get_essay_for_user(request, pk)
    if not essay.file:
        raise Http404
    return FileResponse(essay.file.open("rb"), as_attachment=True, filename=essay.file_name)


def bulk_upload(request, pk):
    campaign, root = get_campaign_for_user(request, pk, STUDY_WRITE)
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        bulk.cleanup_uploads()
        try:
            bulk.list_zip(upload)  # its directory only: nothing is inflated here
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            token = uuid.uuid4().hex
            upload.seek(0)
            default_storage.save(f"bulk/{token}.zip", upload)
            request.session.setdefault("bulk_uploads", {})[token] = [campaign.pk, root.pk]
            request.session.modified = True
            return redirect("study:bulk_preview", pk=campaign.pk, token=token)
    return render(request, "study/bulk_upload.html", {"campaign": campaign, "root": root, "form": form})


def bulk_preview(request, pk, token):
    campaign, root = get_campaign_for_user(request, pk, STUDY_WRITE)
    if request.session.get("bulk_uploads", {}).get(token) != [campaign.pk, root.pk]:
        raise Http404
    name = f"bulk/{token}.zip"
    if not default_storage.exists(name):
        raise Http404  # cleaned up after a day
    with default_storage.open(name) as fh:
        names = bulk.list_zip(fh)  # the preview needs names only: nothing is inflated
    members = services.eligible_members(campaign).filter(unit__path__startswith=root.path).select_related("unit")
    matches = bulk.match(sorted(names), members)
    errors = []
    if request.method == "POST":
        try:
            with default_storage.open(name) as fh:
                n = bulk.apply(actor=request.user, campaign=campaign, archive=fh, matches=matches)
        except ValidationError as exc:
            errors = exc.messages
        else:
            default_storage.delete(name)
            request.session["bulk_uploads"].pop(token, None)
            request.session.modified = True
            messages.success(request, _("%(n)s essays were submitted.") % {"n": n})
            return redirect("study:essays", pk=campaign.pk)
    return render(request, "study/bulk_preview.html", {
        "campaign": campaign, "root": root, "matched": [m for m in matches if m.member],
        "unmatched": [m for m in matches if not m.member], "errors": errors})


# --- the copy check ---------------------------------------------------------------------------

@require_POST
def scan_start(request, pk):
    campaign, _root = get_campaign_for_user(request, pk, ESSAYS_REVIEW, organiser=True)
    scan = services.scan_request(actor=request.user, campaign=campaign)
    return redirect("study:scan", pk=scan.pk)


def scan_detail(request, pk):
    """Progress while it runs; then the flagged pairs, clusters and thin essays of the user's part."""
    scan, root = get_scan_for_user(request, pk)
    if scan.status == IntegrityScan.Status.RUNNING and services.scans_recover_stale(campaign=scan.campaign):
        scan.refresh_from_db()  # its worker died: shown as failed, with why
    context = {"scan": scan, "campaign": scan.campaign, "root": root}
    if scan.running:
        progress = progress_get(scan.progress_key)
        context.update(progress=progress, stage=STAGES.get(progress["stage"], ""))
    else:
        context.update(_scan_findings(request, scan, root))
    template = "study/_scan_status.html" if request.headers.get("HX-Request") else "study/scan_detail.html"
    return render(request, template, context)


def _scan_findings(request, scan: IntegrityScan, root: OrgUnit) -> dict:
    result = scan.result or {}
    ids = {p["a"] for p in result.get("pairs", [])} | {p["b"] for p in result.get("pairs", [])}
    ids |= set(result.get("thin", [])) | {i for c in result.get("clusters", []) for i in c}
    essays = {e.pk: e for e in Essay.objects.filter(pk__in=ids).select_related("member__unit")}
    for e in essays.values():
        e.readable = may_read_essay(request, e)

    def mine(pk):
        e = essays.get(pk)
        return e is not None and e.member.unit.path.startswith(root.path)

    # a group of more than two (six identical essays) shows once as a group: not as its n² pairs,
    # and its members not again among the thin essays
    group_of = {i: n for n, c in enumerate(result.get("clusters", [])) if len(c) > 2 for i in c}
    pairs = [(n, p, essays[p["a"]], essays[p["b"]]) for n, p in enumerate(result.get("pairs", []))
             if p["a"] in essays and p["b"] in essays and (mine(p["a"]) or mine(p["b"]))
             and not (p["a"] in group_of and group_of.get(p["a"]) == group_of.get(p["b"]))]
    clusters = [[essays[i] for i in c if i in essays] for c in result.get("clusters", []) if any(mine(i) for i in c)]
    thin = [essays[i] for i in result.get("thin", []) if mine(i) and i not in group_of]
    checked_here = scan.essays
    if root != scan.campaign.unit:  # the user's part: how many of its essays the check read
        checked_here = Essay.objects.filter(campaign=scan.campaign, member__unit__path__startswith=root.path,
                                            submitted_at__lte=scan.finished or timezone.now()).count()
    return {"pairs": pairs, "clusters": [c for c in clusters if len(c) > 2], "thin": thin,
            "checked_here": checked_here}


def scan_pair(request, pk, n):
    """Two essays side by side, the copied passages highlighted in both; decide in one click."""
    scan, root = get_scan_for_user(request, pk)
    pairs = (scan.result or {}).get("pairs", [])
    if not 0 <= n < len(pairs):
        raise Http404
    pair = pairs[n]
    essays = {e.pk: e for e in Essay.objects.filter(pk__in=[pair["a"], pair["b"]]).select_related("member__unit")}
    if len(essays) != 2:
        raise Http404
    a, b = essays[pair["a"]], essays[pair["b"]]
    if not (a.member.unit.path.startswith(root.path) or b.member.unit.path.startswith(root.path)):
        raise Http404
    scope = scope_for(request)
    a.readable, b.readable = may_read_essay(request, a), may_read_essay(request, b)
    left, right = side_by_side(a.text, b.text, pair["passages"])
    return render(request, "study/scan_pair.html", {
        "scan": scan, "campaign": scan.campaign, "pair": pair, "n": n, "a": a, "b": b, "left": left, "right": right,
        "can_review_a": scope.can(ESSAYS_REVIEW, a.member.unit.path),
        "can_review_b": scope.can(ESSAYS_REVIEW, b.member.unit.path),
        "next": request.get_full_path()})


# --- the member's sổ tay ---------------------------------------------------------------------

def _my_member(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404
    return member


def notebook(request):
    """The member's home: unit, sessions, documents to study, essays due and their status, classes."""
    from dangvu.study.notebook import notebook_for

    member = _my_member(request)
    return render(request, "study/notebook.html", notebook_for(member, timezone.localdate()))


def my_essay(request, pk):
    member = _my_member(request)
    campaign = get_own_campaign(member, pk)
    essay = Essay.objects.filter(campaign=campaign, member=member).first()
    # the current essay opens for editing: a returned one is reworked, not typed again
    initial = {"text": essay.text} if essay is not None and essay.status != EssayStatus.PASSED else None
    form = EssaySubmitForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                services.essay_submit(actor=request.user, campaign=campaign, member=member,
                                      file_name=upload.name, data=upload.read(), own=True)
            else:
                services.essay_submit(actor=request.user, campaign=campaign, member=member,
                                      text=form.cleaned_data["text"], own=True)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Your essay was submitted."))
            return redirect("study:notebook")
    return render(request, "study/my_essay.html", {"campaign": campaign, "essay": essay, "form": form,
                                                   "documents": campaign.documents.all(),
                                                   "history": essay_history(essay) if essay else []})
