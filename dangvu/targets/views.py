"""A unit's targets and one target's attainment: "229/321 chi bộ, đạt 71,33% kế hoạch"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangvu.audit.services import audit_for
from dangvu.lib import measures
from dangvu.lib.concurrency import EditConflict, conflict, rebound
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.ids import parse_ids
from dangvu.lib.keys import TARGETS_WRITE, UNITS_READ
from dangvu.lib.xlsx import xlsx_response
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.scope import check_path, scope_for
from dangvu.orgs.views import breadcrumbs
from dangvu.targets import services
from dangvu.targets.access import get_target_for_user
from dangvu.targets.forms import TargetEditForm, TargetForm
from dangvu.targets.models import Target


def unit_targets(request, pk):
    unit = get_unit_for_user(request, pk, UNITS_READ)
    can_write = scope_for(request).can(TARGETS_WRITE, unit.path)
    form = TargetForm(request.POST or None, measures=measures.all_measures())
    if request.method == "POST":
        get_unit_for_user(request, pk, TARGETS_WRITE)
        if form.is_valid():
            data = form.cleaned_data
            try:
                target = services.target_create(
                    actor=request.user, unit=unit, title=data["title"], measure=data["measure"],
                    applies_kind=data["applies_kind"], applies_has_committee=None, thresholds=form.thresholds,
                    start=data["start"], end=data["end"])
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The target was set."))
                return redirect("targets:target", pk=target.pk)
    targets = Target.objects.filter(unit=unit)
    readable = {m.key for m in measures.readable(scope_for(request), unit.path)}
    return render(request, "targets/unit_targets.html", {
        "unit": unit, "targets": targets, "form": form, "can_write": can_write,
        "from_above": services.targets_on(unit, readable),
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def target_detail(request, pk):
    target = get_target_for_user(request, pk)
    edit_form = crossed = None
    if request.method == "POST" and request.POST.get("form") == "edit":
        get_unit_for_user(request, target.unit_id, TARGETS_WRITE)
        done, edit_form, crossed = _edit(request, target)
        if done is not None:
            return done
        if crossed:
            target = get_target_for_user(request, pk)  # what the other officer saved
    elif request.method == "POST":
        get_unit_for_user(request, target.unit_id, TARGETS_WRITE)
        try:
            year = int(request.POST.get("year", ""))
            copy = services.target_copy_to_year(actor=request.user, target=target, year=year)
        except (ValueError, ValidationError):
            messages.error(request, _("The year is not valid."))
        else:
            messages.success(request, _("The target was copied into %(year)s.") % {"year": year})
            return redirect("targets:target", pk=copy.pk)
    result = services.attainment(target)
    measure = measures.get(target.measure)
    within = _within(request, target, measure)
    part = services.Attainment([r for r in result.results if r.unit.path.startswith(within.path)])
    if request.GET.get("format") == "xlsx":
        _name_parents(part.results)
        return xlsx_response(f"chi-tieu-{target.pk}.xlsx", target.title[:31], [
            _("Unit"), _("belongs to"), str(measure.label), _("required"), _("met")], (
            [r.name, r.parent_name, r.value, r.required, _("yes") if r.met else _("no")]
            for r in part.results))
    missed, reached = part.missed[:LISTED], part.reached[:LISTED]
    _name_parents(missed + reached)
    branches = part.by_branch(within, target.end)
    can_write = scope_for(request).can(TARGETS_WRITE, target.unit.path)
    if can_write and edit_form is None:
        edit_form = TargetEditForm(target=target, measures=measures.all_measures())
    return render(request, "targets/target_detail.html", {
        "target": target, "measure": measure, "result": result, "noun": target.noun, "within": within,
        "part": part, "missed": missed, "reached": reached, "listed": LISTED, "branches": branches,
        "chart": within.pk == target.unit_id and len(branches) > 1,  # by sub-unit of the setter
        "unit": target.unit, "can_write": can_write, "edit_form": edit_form, "conflict": crossed,
        "next_year": str(target.start.year + 1), "breadcrumbs": breadcrumbs(request, target.unit) + [target.unit]},
        status=409 if crossed else 200)


def _edit(request, target: Target):
    """The target's edit form posted: (a redirect, …) once saved; else (None, the form to show
    again, and what to say when another officer saved the target since it was opened)."""
    form = TargetEditForm(request.POST, target=target, measures=measures.all_measures())
    if not form.is_valid():
        return None, form, None
    data = form.cleaned_data
    try:
        services.target_update(actor=request.user, target=target, version=data["version"], title=data["title"],
                               measure=data["measure"], applies_kind=data["applies_kind"],
                               applies_has_committee=target.applies_has_committee, thresholds=form.thresholds,
                               start=data["start"], end=data["end"])
    except EditConflict:
        current = Target.objects.get(pk=target.pk)
        crossed = conflict(form, TargetForm.values_of(current), audit_for(current).first())
        return None, rebound(TargetEditForm, request, current.version, target=current,
                             measures=measures.all_measures()), crossed
    except ValidationError as exc:
        apply_form_errors(form, exc)
        return None, form, None
    messages.success(request, _("The target was saved."))
    return redirect("targets:target", pk=target.pk), form, None


LISTED = 300  # units listed on the page; more are reached by sub-unit or in the .xlsx


def _within(request, target, measure) -> OrgUnit:
    """?within=<unit id>: the part of the setter's subtree the lists show (a district, a commune)."""
    raw = request.GET.get("within")
    if not raw:
        return target.unit
    try:
        [pk] = parse_ids([raw], "within")
    except ValidationError:
        raise Http404 from None
    unit = OrgUnit.objects.filter(pk=pk, path__startswith=target.unit.path).first()
    if unit is None:
        raise Http404
    check_path(request, unit.path, measure.permission)
    return unit


def _name_parents(results) -> None:
    """Each unit listed with its name and the one it belongs to ("Chi bộ Công an xã" is in
    dozens of communes)."""
    step = OrgUnit.steplen
    paths = {r.unit.path for r in results} | {r.unit.path[:-step] for r in results}
    names = dict(OrgUnit.objects.filter(path__in=paths).values_list("path", "name"))
    for r in results:
        r.name, r.parent_name = names.get(r.unit.path, ""), names.get(r.unit.path[:-step], "")


def target_chart(request, pk):
    """The share of units meeting the target within each sub-unit of the setter, as bars
    against 100%: the same picture the report will carry."""
    from dangvu.lib.charts import Bars, png  # matplotlib: imported by the picture only, not the page

    target = get_target_for_user(request, pk)
    branches = services.attainment(target).by_branch(target.unit, target.end)
    chart = Bars(title=f"{target.title[:80]} · {target.start:%d/%m/%Y} – {target.end:%d/%m/%Y}",
                 labels=[f"{u.name} ({a.met}/{a.units})" for u, a in branches], values=[a.rate for _u, a in branches],
                 unit="%", out_of=100)
    response = HttpResponse(png(chart), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response
