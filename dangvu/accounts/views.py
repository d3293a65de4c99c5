import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.accounts import services
from dangvu.accounts.access import get_team_for_user, get_token_for_user
from dangvu.accounts.forms import CodeForm, RoleForm, TeamForm, TokenForm
from dangvu.accounts.models import Team
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.ids import parse_ids
from dangvu.lib.keys import ACCESS_MANAGE, ALL_KEYS
from dangvu.orgs import services as org_services
from dangvu.orgs.access import get_role_for_user, get_unit_for_user
from dangvu.orgs.models import ACTIVE_STATUSES, Member, UnitRole
from dangvu.orgs.selectors import member_search
from dangvu.orgs.views import breadcrumbs


def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(user=request.user, name=form.cleaned_data["name"],
                                                  scope=form.cleaned_data["scope"], days=form.cleaned_data["days"])
        messages.success(request, _("API token created. Copy it now: it is shown only once."))
    return render(request, "accounts/tokens.html",
                  {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token,
                   "today": timezone.localdate()})


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


# --- the second factor ------------------------------------------------------------------------

def otp_verify(request):
    """After the password, the code from the authenticator app (for those who turned it on)."""
    from django_otp import login as otp_login
    from django_otp import match_token

    form = CodeForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("code", _("The code is not right, or has expired. Type the code the app shows now."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


def otp_setup(request):
    """Turn the second factor on (scan or type the key into an authenticator app, then prove it
    with a code) or off (with a code)."""
    import base64

    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dangvu.middleware import second_factor_required

    required = second_factor_required(request)  # an account that writes keeps it on (OTP_REQUIRED_FOR_WRITERS)
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    form = CodeForm(request.POST or None)
    if confirmed is not None:
        if request.method == "POST" and required:
            form.add_error(None, _("Your account can change records: the second factor stays on."))
        elif request.method == "POST" and form.is_valid():
            if confirmed.verify_token(form.cleaned_data["code"]):
                services.second_factor_remove(user=request.user)
                messages.success(request, _("The second factor is off."))
                return redirect("accounts:otp_setup")
            form.add_error("code", _("The code is not right, or has expired. Type the code the app shows now."))
        return render(request, "accounts/otp_setup.html", {"form": form, "enabled": True, "required": required})
    device = (TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
              or TOTPDevice.objects.create(user=request.user, name="app", confirmed=False))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            services.second_factor_enable(user=request.user, device=device)
            otp_login(request, device)
            messages.success(request, _("The second factor is on: after your password you will be asked for a code."))
            return redirect("accounts:otp_setup")
        form.add_error("code", _("The code is not right, or has expired. Type the code the app shows now."))
    key = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/otp_setup.html", {
        "form": form, "enabled": False, "required": required,
        "key": " ".join(key[i:i + 4] for i in range(0, len(key), 4)),
        "config_url": device.config_url})


# --- erasing the personal data of someone who has left ------------------------------------------

def _erased_once_confirmed(request, refused: str | None, erase, done: str) -> bool:
    """A POST of an erasure page: erased (and said so) once the box is ticked and nothing
    refuses it; otherwise the reason is shown and nothing is erased."""
    if request.method != "POST" or refused is not None:
        return False
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm: the erasure cannot be undone."))
        return False
    try:
        erase()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, done)
    return True


def erase_personal_data(request, pk):
    """What would be erased and what is kept, then the erasure once confirmed (dangvu/accounts/
    erasure.py); where the rules keep the data, the page says why and offers nothing."""
    from dangvu.accounts import erasure

    member = erasure.get_member_to_erase(request, pk)
    refused = erasure.refusal(member)
    if _erased_once_confirmed(request, refused, lambda: erasure.personal_data_erase(actor=request.user, member=member),
                              _("The personal data were erased; the Party record is kept.")):
        return redirect("orgs:member", pk=member.pk)
    return render(request, "accounts/erase_personal_data.html", {
        "member": member, "refused": refused,
        "fields": [erasure.ERASABLE[name] for name in erasure.erasable(member)] if refused is None else [],
        "breadcrumbs": breadcrumbs(request, member.unit) + [member.unit]})


def erase_candidate(request, pk):
    """An admission candidate who left the list unadmitted: what goes and what stays, then the
    erasure once confirmed (dangvu/accounts/erasure.py); an admitted one is refused, with why."""
    from dangvu.accounts import erasure

    candidate = erasure.get_candidate_to_erase(request, pk)
    refused = erasure.candidate_refusal(candidate)
    if _erased_once_confirmed(request, refused, lambda: erasure.candidate_erase(actor=request.user, candidate=candidate),
                              _("The candidate's personal data were erased; their class enrolments are kept, so the "
                                "classes' figures do not change.")):
        return redirect("orgs:unit_candidates", pk=candidate.unit_id)
    return render(request, "accounts/erase_candidate.html", {
        "candidate": candidate, "refused": refused,
        "breadcrumbs": breadcrumbs(request, candidate.unit) + [candidate.unit]})
