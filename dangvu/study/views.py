"""Pages for campaigns, sessions, attendance, essays, the copy check and the member's sổ tay.

Thin: an access helper, a service or selector, a template.
"""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.documents.access import documents_offered
from dangvu.documents.models import Document
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.keys import ESSAYS_REVIEW, STUDY_READ, STUDY_WRITE
from dangvu.lib.once import remember, replayed
from dangvu.lib.periods import year_asked
from dangvu.lib.xlsx import xlsx_response
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.scope import scope_for
from dangvu.orgs.views import breadcrumbs
from dangvu.study import services
from dangvu.study.access import get_campaign_for_user, get_session_for_user, sessions_seen_from
from dangvu.study.forms import CampaignForm, SessionForm
from dangvu.study.models import Attendance, AttendanceStatus
from dangvu.study.selectors import (
    campaign_by_unit,
    campaign_list_figures,
    campaigns_for_unit,
    missing_members,
    session_figures,
    year_summary,
)


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
    members = (services.eligible_members(session.campaign, root, on_day=session.held_on)
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
        marks = dict(Attendance.objects.filter(session=session, member__in=members.values("pk"))
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
