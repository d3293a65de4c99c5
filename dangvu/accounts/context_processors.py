"""What the menu offers: only what the user may use."""

from dangvu.orgs.scope import scope_for


def menu(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(request)
    # API tokens are for the office's tools: a member who holds no key anywhere has no use for them
    return {"menu_api_tokens": scope.is_superuser or bool(scope.grants) or user.api_tokens.exists()}
