"""What accounts holds about a member's login account, for their own download
(dangvu/audit/personal.py): the account, its API tokens (never the token itself: only a hash is
stored) and the teams it belongs to."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.models import ApiToken, Team
from dangvu.audit.personal import section
from dangvu.lib.keys import ALL_KEYS

POSITION = 10  # after the member record


def _second_factor(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


def records_of(member) -> list:
    user = member.user
    users = [user] if user is not None else []
    tokens = ApiToken.objects.filter(user=user) if user is not None else ApiToken.objects.none()
    teams = Team.objects.filter(users=user).select_related("unit") if user is not None else Team.objects.none()
    return [
        section("accounts.account", _("Login account"), get_user_model(), users, [
            ("username", _("Username")), ("email", _("e-mail")), ("date_joined", _("account created")),
            ("last_login", _("last signed in")), ("is_active", _("account in use")),
            ("second_factor", _("Second factor"), _second_factor)]),
        section("accounts.tokens", _("API tokens"), ApiToken, tokens, [
            "name", ("prefix", _("begins with")), "scope", ("created", _("made on")),
            ("last_used", _("Last used")), "expires"]),
        section("accounts.teams", _("Teams"), Team, teams, [
            "name", ("unit", _("Unit")),
            ("permissions", None, lambda t: [str(ALL_KEYS.get(k, k)) for k in t.permissions])]),
    ]
