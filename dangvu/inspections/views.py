"""A unit's inspections and supervisions for a year (its plan, what it held, what was held
about it from above), one inspection with its recommendations, and a member's own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.inspections import services
from dangvu.inspections.access import (
    get_inspection_for_user,
    get_recommendation_for_user,
    inspections_visible,
    own_inspections,
)
from dangvu.inspections.forms import (
    AttachForm,
    ConclusionForm,
    DisciplineForm,
    DoneForm,
    InspectionForm,
    PlanItemForm,
    RecommendationForm,
)
from dangvu.inspections.models import Discipline, PlanItem
from dangvu.lib import measures
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.ids import parse_ids
from dangvu.lib.keys import INSPECTIONS_READ, INSPECTIONS_WRITE
from dangvu.lib.periods import Period, year_asked
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.placements import children_during
from dangvu.orgs.scope import scope_for
from dangvu.orgs.views import breadcrumbs

SUMMARY = ["inspections.held", "inspections.supervisions", "inspections.violations",
           "inspections.recommendations_overdue", "inspections.plan_held"]


def _year(request) -> int:
    year, problem = year_asked(request.GET.get("year"), timezone.localdate().year)
    if problem:
        messages.error(request, problem)
    return year


def _subject(data) -> dict:
    return {"member": data.get("subject_member"), "organisation": data.get("subject_unit")}


def unit_inspections(request, pk):
    unit = get_unit_for_user(request, pk, INSPECTIONS_READ)
    year = _year(request)
    period = Period.year(year)
    can_write = scope_for(request).can(INSPECTIONS_WRITE, unit.path)
    plan = (PlanItem.objects.filter(unit=unit, end__gte=period.start, start__lte=period.end)
            .select_related("subject_member", "subject_unit").prefetch_related("held"))
    which = request.POST.get("form") if request.method == "POST" else None
    record_form = InspectionForm(request.POST if which == "inspection" else None, unit=unit, plan_items=plan)
    plan_form = PlanItemForm(request.POST if which == "plan" else None, unit=unit, prefix="plan")
    discipline_form = DisciplineForm(request.POST if which == "discipline" else None, unit=unit, prefix="discipline")
    if which == "discipline":
        get_unit_for_user(request, pk, INSPECTIONS_WRITE)
        if discipline_form.is_valid():
            data = discipline_form.cleaned_data
            try:
                services.discipline_record(actor=request.user, unit=unit, penalty=data["penalty"],
                                           decided_on=data["decided_on"], reason=data["reason"],
                                           duty_related=data["duty_related"], **_subject(data))
            except ValidationError as exc:
                apply_form_errors(discipline_form, exc)
            else:
                messages.success(request, _("The discipline was recorded."))
                return redirect(f"{request.path}?year={data['decided_on'].year}")
    if which in ("inspection", "plan"):
        get_unit_for_user(request, pk, INSPECTIONS_WRITE)
        form = record_form if which == "inspection" else plan_form
        if form.is_valid():
            data = form.cleaned_data
            common = dict(actor=request.user, unit=unit, kind=data["kind"], mode=data["mode"], area=data["area"],
                          content=data["content"], start=data["start"], end=data["end"], **_subject(data))
            try:
                if which == "plan":
                    services.plan_item_create(**common)
                    messages.success(request, _("The item was added to the plan."))
                else:
                    item = plan.filter(pk=data["plan_item"]).first() if data["plan_item"] else None
                    inspection = services.inspection_record(
                        **common, outcome=data["outcome"], conclusion=data["conclusion"],
                        violation=data["violation"], plan_item=item, conductor=data.get("conductor", ""),
                        decision=data["decision"])
                    messages.success(request, _("The inspection was recorded."))
                    return redirect("inspections:detail", pk=inspection.pk)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                return redirect(f"{request.path}?year={data['end'].year}")
    in_year = inspections_visible(request, unit).filter(end__gte=period.start, end__lte=period.end).order_by(
        "-end", "-id")
    summary = [m for m in (measures.get(k) for k in SUMMARY) if m]
    values = measures.compute_all(unit, period, summary, levels=1)  # the unit and its sub-units
    children = children_during(unit, period.start, period.end)
    return render(request, "inspections/unit_inspections.html", {
        "unit": unit, "year": year, "years": range(timezone.localdate().year + 1, 2019, -1),
        "held": in_year.filter(unit=unit), "from_above": in_year.exclude(unit__path__startswith=unit.path),
        "plan": plan, "can_write": can_write, "record_form": record_form, "plan_form": plan_form,
        "discipline_form": discipline_form,
        "disciplines": Discipline.objects.filter(unit=unit, decided_on__gte=period.start, decided_on__lte=period.end)
        .select_related("subject_member", "subject_unit"),
        "summary": [(m, measures.value_at(values[m.key], unit.path, m)) for m in summary],
        "children": [(c, [(m, measures.value_at(values[m.key], c.path, m)) for m in summary]) for c in children],
        "query": f"from={period.start.isoformat()}&to={period.end.isoformat()}",
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def inspection_detail(request, pk):
    inspection = get_inspection_for_user(request, pk)
    can_write = scope_for(request).can(INSPECTIONS_WRITE, inspection.unit.path)
    which = request.POST.get("form") if request.method == "POST" else None
    conclusion_form = ConclusionForm(request.POST if which == "conclusion" else None, initial={
        "outcome": inspection.outcome, "conclusion": inspection.conclusion, "violation": inspection.violation})
    recommendation_form = RecommendationForm(request.POST if which == "recommendation" else None)
    attach_form = AttachForm(request.POST if which == "attach" else None, unit=inspection.unit)
    if which:
        get_inspection_for_user(request, pk, INSPECTIONS_WRITE)
        try:
            if which == "conclusion" and conclusion_form.is_valid():
                services.inspection_conclude(actor=request.user, inspection=inspection, **conclusion_form.cleaned_data)
                messages.success(request, _("The conclusion was saved."))
                return redirect(request.path)
            if which == "attach" and attach_form.is_valid():
                services.inspection_attach(actor=request.user, inspection=inspection,
                                           document=attach_form.cleaned_data["document"])
                messages.success(request, _("The document was attached."))
                return redirect(request.path)
            if which == "recommendation" and recommendation_form.is_valid():
                services.recommendation_add(actor=request.user, inspection=inspection,
                                            **recommendation_form.cleaned_data)
                messages.success(request, _("The recommendation was added."))
                return redirect(request.path)
            if which == "done":
                [rec_id] = parse_ids([request.POST.get("recommendation", "")], "recommendation")
                recommendation = get_recommendation_for_user(request, rec_id)
                done = DoneForm(request.POST)
                if recommendation.inspection_id != inspection.pk or not done.is_valid():
                    messages.error(request, _("Give the day the recommendation was carried out."))
                else:
                    services.recommendation_done(actor=request.user, recommendation=recommendation,
                                                 done_on=done.cleaned_data["done_on"])
                    messages.success(request, _("The recommendation is marked as carried out."))
                return redirect(request.path)
        except ValidationError as exc:
            form = conclusion_form if which == "conclusion" else recommendation_form
            if which == "done":
                messages.error(request, " ".join(exc.messages))
                return redirect(request.path)
            apply_form_errors(form, exc)
    today = timezone.localdate()
    recommendations = [(r, r.overdue_on(today)) for r in inspection.recommendations.all()]
    return render(request, "inspections/inspection_detail.html", {
        "inspection": inspection, "can_write": can_write, "conclusion_form": conclusion_form,
        "recommendation_form": recommendation_form, "recommendations": recommendations, "done_form": DoneForm(),
        "attach_form": attach_form, "attachments": inspection.attachments.order_by("issued_on", "id"),
        "unit": inspection.unit, "breadcrumbs": breadcrumbs(request, inspection.unit) + [inspection.unit]})


def my_inspections(request):
    """The inspections and supervisions of which the logged-in member was the subject."""
    return render(request, "inspections/my_inspections.html",
                  {"inspections": own_inspections(request).order_by("-end", "-id")})
