"""Pages for the reorganisation every province has just lived through: merging units under
one committee into one, and splitting a unit into several, through the services (which
move the members and sub-units, close the old units and link them to the new ones)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.lib.forms import DATE, Form, apply_form_errors
from dangvu.lib.keys import UNITS_WRITE
from dangvu.orgs import services
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import ACTIVE_STATUSES, Member, OrgUnit
from dangvu.orgs.scope import check_path
from dangvu.orgs.views import breadcrumbs

MAX_PARTS = 6


class MergeForm(Form):
    units = forms.ModelMultipleChoiceField(label=gettext_lazy("Units to merge"), queryset=OrgUnit.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    name = forms.CharField(label=gettext_lazy("Name of the merged unit"), max_length=200)
    code = forms.CharField(label=gettext_lazy("Its code"), max_length=40)
    symbol = forms.CharField(label=gettext_lazy("Its document symbol"), max_length=20, required=False)
    on_date = forms.DateField(label=gettext_lazy("Merged on"), widget=DATE)

    def __init__(self, *args, parent: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        # only the committee's own open sub-units: an id from anywhere else is not a choice
        self.fields["units"].queryset = OrgUnit.objects.get_children(parent).filter(valid_to__isnull=True).order_by("path")


def unit_merge(request, pk):
    """Merge units directly under this committee into one."""
    parent = get_unit_for_user(request, pk, UNITS_WRITE)
    form = MergeForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.unit_merge(actor=request.user, units=list(data["units"]), name=data["name"],
                                      code=data["code"], symbol=data["symbol"], on_date=data["on_date"], parent=parent)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Merged into %(name)s.") % {"name": new.name})
            return redirect("orgs:unit", new.pk)
    return render(request, "orgs/unit_merge.html", {"unit": parent, "form": form,
                                                     "breadcrumbs": breadcrumbs(request, parent) + [parent]})


class SplitDateForm(Form):
    on_date = forms.DateField(label=gettext_lazy("Split on"), widget=DATE)


def _parts(data) -> int:
    """How many new units the page shows (2 to MAX_PARTS, whatever is sent)."""
    try:
        return min(max(int(data.get("parts", "2")), 2), MAX_PARTS)
    except ValueError:
        return 2


def unit_split(request, pk):
    """Split a unit into several: each active member and sub-unit goes to one new unit."""
    unit = get_unit_for_user(request, pk, UNITS_WRITE)
    parent = OrgUnit.objects.get_parent(unit)
    if parent is not None:
        check_path(request, parent.path, UNITS_WRITE)  # the new units are the parent's
    n = _parts(request.POST if request.method == "POST" else request.GET)
    members = list(Member.objects.filter(unit=unit, status__in=ACTIVE_STATUSES).order_by("sort_key", "pk"))
    children = list(OrgUnit.objects.get_children(unit).filter(valid_to__isnull=True).order_by("path"))
    error, posted = None, request.POST
    date_form = SplitDateForm(request.POST or None)
    if request.method == "POST" and not date_form.is_valid():
        error = " ".join(e for errors in date_form.errors.values() for e in errors)
    elif request.method == "POST":
        try:
            parts = [services.SplitPart(name=posted.get(f"name-{i}", "").strip(), code=posted.get(f"code-{i}", "").strip(),
                                        has_committee=bool(posted.get(f"committee-{i}")),
                                        member_ids=[m.pk for m in members if posted.get(f"member-{m.pk}") == str(i)],
                                        child_ids=[c.pk for c in children if posted.get(f"child-{c.pk}") == str(i)])
                     for i in range(1, n + 1)]
            on_date = date_form.cleaned_data["on_date"]
            for i, part in enumerate(parts, start=1):
                if not part.name or not part.code:
                    raise ValidationError(_("Give new unit %(n)s its name and its code.") % {"n": i})
            created = services.unit_split(actor=request.user, unit=unit, parts=parts, on_date=on_date)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Split into %(names)s.") % {"names": ", ".join(u.name for u in created)})
            return redirect("orgs:unit", created[0].pk)
    # what was typed comes back with an error, so nothing has to be typed twice
    return render(request, "orgs/unit_split.html", {
        "unit": unit, "numbers": range(1, n + 1), "parts": n, "error": error, "more": n < MAX_PARTS,
        "date_form": date_form,
        "new_units": [(i, posted.get(f"name-{i}", ""), posted.get(f"code-{i}", ""), bool(posted.get(f"committee-{i}")))
                      for i in range(1, n + 1)],
        "members": [(m, posted.get(f"member-{m.pk}", "")) for m in members],
        "children": [(c, posted.get(f"child-{c.pk}", "")) for c in children],
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})
