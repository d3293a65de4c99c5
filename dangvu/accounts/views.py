import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.accounts import services
from dangvu.accounts.access import get_team_for_user, get_token_for_user
from dangvu.accounts.forms import RoleForm, TeamForm, TokenForm
from dangvu.accounts.models import Team
from dangvu.accounts.permissions import ACCESS_MANAGE, ALL_KEYS
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.ids import parse_ids
from dangvu.orgs import services as org_services
from dangvu.orgs.access import get_role_for_user, get_unit_for_user
from dangvu.orgs.models import ACTIVE_STATUSES, Member, UnitRole
from dangvu.orgs.selectors import member_search
from dangvu.orgs.views import breadcrumbs


def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("API token created. Copy it now: it is shown only once."))
    return render(request, "accounts/tokens.html",
                  {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token})


@require_POST
def token_revoke(request, pk):
    services.token_revoke(actor=request.user, token=get_token_for_user(request, pk))
    messages.success(request, _("API token revoked."))
    return redirect("accounts:tokens")


def unit_access(request, pk):
    """Who may do what here: the unit's teams (keys over its subtree) and its roles.
    Only holders of access:manage, and nobody gives rights they do not hold."""
    unit = get_unit_for_user(request, pk, ACCESS_MANAGE)
    q = request.GET.get("q", "")
    # people are picked among the subtree's members found by the search (a province has thousands)
    members = Member.objects.filter(unit__path__startswith=unit.path, status__in=ACTIVE_STATUSES).select_related("unit")
    found = member_search(members, q)[:30] if q else Member.objects.none()
    with_accounts = members.filter(user__isnull=False)
    team_form = TeamForm(request.POST if "add_team" in request.POST else None, members=with_accounts)
    role_form = RoleForm(request.POST if "add_role" in request.POST else None, members=members)
    if request.method == "POST":
        try:
            if "add_team" in request.POST and team_form.is_valid():
                data = team_form.cleaned_data
                services.team_create(actor=request.user, unit=unit, name=data["name"], permissions=data["permissions"],
                                     users=[m.user for m in data["members"]])
                messages.success(request, _("The team was created."))
                return redirect("accounts:unit_access", pk=unit.pk)
            if "add_role" in request.POST and role_form.is_valid():
                data = role_form.cleaned_data
                org_services.role_assign(actor=request.user, unit=unit, member=data["member"], role=data["role"],
                                         start=data["start"])
                messages.success(request, _("The role was recorded."))
                return redirect("accounts:unit_access", pk=unit.pk)
            if "delete_team" in request.POST:
                team = get_team_for_user(request, parse_ids([request.POST["delete_team"]], "team")[0])
                services.team_delete(actor=request.user, team=team)
                messages.success(request, _("The team was removed."))
                return redirect("accounts:unit_access", pk=unit.pk)
            if "end_role" in request.POST:
                unit_role = get_role_for_user(request, parse_ids([request.POST["end_role"]], "role")[0])
                end = datetime.date.fromisoformat(request.POST.get("end") or datetime.date.today().isoformat())
                org_services.role_end(actor=request.user, unit_role=unit_role, end=end)
                messages.success(request, _("The role was ended."))
                return redirect("accounts:unit_access", pk=unit.pk)
        except ValidationError as exc:
            if "add_team" in request.POST or "add_role" in request.POST:
                apply_form_errors(team_form if "add_team" in request.POST else role_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        except ValueError:
            messages.error(request, _("Not a valid date."))
    teams = Team.objects.filter(unit=unit).prefetch_related("users")
    roles = UnitRole.objects.filter(unit=unit).select_related("member").order_by("-start")
    return render(request, "accounts/unit_access.html", {
        "unit": unit, "teams": teams, "roles": roles, "team_form": team_form, "role_form": role_form,
        "found": found, "q": q, "key_labels": ALL_KEYS, "breadcrumbs": breadcrumbs(request, unit) + [unit]})
