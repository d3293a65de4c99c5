"""The user's own API tokens and the teams of a unit, fetched for a user (the rule every app's
access helpers apply, `check_path`, `not_found`, `fetch_in_scope`, is orgs/scope.py's)."""

from django.http import Http404

from dangvu.accounts.models import ApiToken, Team
from dangvu.lib.keys import ACCESS_MANAGE
from dangvu.orgs.scope import fetch_in_scope


def get_token_for_user(request, pk) -> ApiToken:
    """A user's own token; anyone else's does not exist for them."""
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    return token


def get_team_for_user(request, pk, key: str = ACCESS_MANAGE) -> Team:
    return fetch_in_scope(request, Team.objects.select_related("unit"), pk, key)
