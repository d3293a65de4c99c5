"""A unit's targets and one target's attainment: "229/321 chi bộ, đạt 71,33% kế hoạch"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangvu.accounts.permissions import TARGETS_WRITE, UNITS_READ, scope_for
from dangvu.figures.selectors import readable_measures
from dangvu.lib import measures
from dangvu.lib.forms import apply_form_errors
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.views import breadcrumbs
from dangvu.targets import services
from dangvu.targets.access import get_target_for_user
from dangvu.targets.forms import TargetForm
from dangvu.targets.models import Target


def unit_targets(request, pk):
    unit = get_unit_for_user(request, pk, UNITS_READ)
    can_write = scope_for(request).can(TARGETS_WRITE, unit.path)
    form = TargetForm(request.POST or None, measures=measures.all_measures())
    if request.method == "POST":
        get_unit_for_user(request, pk, TARGETS_WRITE)
        if form.is_valid():
            data = form.cleaned_data
            thresholds = ([{"has_committee": True, "min": data["min_with_committee"]},
                           {"has_committee": False, "min": data["min"]}]
                          if data["min_with_committee"] is not None else [{"has_committee": None, "min": data["min"]}])
            try:
                target = services.target_create(
                    actor=request.user, unit=unit, title=data["title"], measure=data["measure"],
                    applies_kind=data["applies_kind"], applies_has_committee=None, thresholds=thresholds,
                    start=data["start"], end=data["end"])
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The target was set."))
                return redirect("targets:target", pk=target.pk)
    targets = Target.objects.filter(unit=unit)
    readable = {m.key for m in readable_measures(request, unit)}
    return render(request, "targets/unit_targets.html", {
        "unit": unit, "targets": targets, "form": form, "can_write": can_write,
        "from_above": services.targets_on(unit, readable),
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def target_detail(request, pk):
    target = get_target_for_user(request, pk)
    if request.method == "POST":
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
    return render(request, "targets/target_detail.html", {
        "target": target, "measure": measures.get(target.measure), "result": result,
        "unit": target.unit, "can_write": scope_for(request).can(TARGETS_WRITE, target.unit.path),
        "next_year": target.start.year + 1, "breadcrumbs": breadcrumbs(request, target.unit) + [target.unit]})
