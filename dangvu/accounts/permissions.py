"""The grants that teams give, installed into the scope engine when the app is ready.

The keys are plain data in `lib/keys.py`; the scope engine (grants, `scope_for`, `check_path`)
is `orgs/scope.py`, since orgs' own access helpers apply it and orgs imports nothing from
accounts.
"""

from dangvu.orgs.scope import Grant


def team_grants(user) -> list[Grant]:
    """The keys the user's teams give, each over its unit's subtree (orgs/scope.py asks)."""
    return [Grant(t.unit.path, frozenset(t.permissions)) for t in user.teams.select_related("unit")]
