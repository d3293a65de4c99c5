"""The JSON API: one NinjaAPI, a router per app, token or session auth, Vietnamese errors."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from dangvu.accounts.services import token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user  # the access helpers read request.user
        return user


class LoggedInSession(SessionAuth):
    """Session auth that checks CSRF only for a logged-in session: an anonymous caller
    gets 401 (not logged in), not 403 about a CSRF token it never had. A request is
    authenticated by exactly one method: one that sends an Authorization header is a token's
    (a bad token is not made good by the session beside it), and a session whose user has a
    second factor counts only once the code was given."""

    def _get_key(self, request):
        if not request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        from dangvu.middleware import session_is_complete

        user = request.user
        if "HTTP_AUTHORIZATION" in request.META or not user.is_authenticated:
            return None  # (ninja asks even when _get_key found no key)
        return user if session_is_complete(user) else None


ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "what went wrong, in Vietnamese"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "message"],
            "properties": {"field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                           "message": {"type": "string"}}}},
    },
}
ERROR_ANSWERS = {
    "401": "Not logged in, or the API token is not valid.",
    "403": "Seen but not allowed: the caller lacks the permission key.",
    "404": "Not found, or outside the caller's units.",
    "422": "The submitted data is not valid: each error names its field.",
}


class DangvuAPI(NinjaAPI):
    """Every operation documents the error answers every operation can give, with their body."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_ANSWERS.items():
                    responses.setdefault(status, {"description": description, "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        return schema


api = DangvuAPI(title="dangvu API", version="1", urls_namespace="api",
                auth=[TokenAuth(), LoggedInSession()], docs_url="/docs")

# pydantic error type → message, translated when shown
_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "date_parsing": gettext_noop("Not a valid date; use YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_noop("Not a valid date; use YYYY-MM-DD."),
    "int_parsing": gettext_noop("A whole number is needed."),
    "string_too_long": gettext_noop("The text is too long."),
    "string_too_short": gettext_noop("The text is too short."),
    "string_type": gettext_noop("Text is needed."),
    "enum": gettext_noop("The value is not one of those allowed."),
    "literal_error": gettext_noop("The value is not one of those allowed."),
    "json_invalid": gettext_noop("The request body is not valid JSON."),
    "bool_parsing": gettext_noop("True or false is needed."),
}
_FALLBACK = gettext_noop("The value is not valid.")


def _field_of(error: dict) -> str | None:
    # loc is ("body", "payload", "points", 0, "head_count") or ("query", "limit"): the
    # innermost field name; list positions and dict keys (attendance marks) are left out
    names = [p for p in error.get("loc", ())[1:]
             if isinstance(p, str) and p.isidentifier() and p != "payload"]
    return names[-1] if names else None


def _message_of(error: dict) -> str:
    kind = error.get("type")
    if kind == "control_character":  # already a whole Vietnamese sentence naming the field
        return error.get("msg", "")
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        limit = next(iter((error.get("ctx") or {}).values()), "")
        return _(_BOUNDS[kind]) % {"limit": limit}
    if kind == "too_long":
        return _("The list is too long: at most %(limit)s items.") % {"limit": (error.get("ctx") or {}).get("max_length")}
    return _(_MESSAGES.get(kind, _FALLBACK))


_BOUNDS = {
    "less_than_equal": gettext_noop("The number must be at most %(limit)s."),
    "less_than": gettext_noop("The number must be less than %(limit)s."),
    "greater_than_equal": gettext_noop("The number must be at least %(limit)s."),
    "greater_than": gettext_noop("The number must be greater than %(limit)s."),
}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    # loc is ("body", "payload", "field"): the last part names the field.
    errors = [{"field": _field_of(e), "message": _message_of(e)} for e in exc.errors]
    return api.create_response(request, {"detail": _("The submitted data is not valid."), "errors": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def on_domain_error(request, exc):
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": " ".join(m for e in errs for m in e.messages)}
                  for f, errs in exc.error_dict.items()]
    else:
        errors = [{"field": None, "message": m} for m in exc.messages]
    return api.create_response(request, {"detail": _("The submitted data is not valid."), "errors": errors}, status=422)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc):
    """A safety net: a number or text the database cannot hold is bad input, not a crash.
    (Schemas bound what they can, naming the field; this catches what one forgets.)"""
    return api.create_response(request, {"detail": _("The submitted data is not valid."), "errors": [
        {"field": None, "message": _("A number or a text is too large to be stored.")}]}, status=422)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": _("You do not have permission to do this.")}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Not logged in, or the API token is not valid.")}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register_routers() -> None:
    from dangvu.documents.api import router as documents_router
    from dangvu.essays.api import router as essays_router
    from dangvu.evaluation.api import router as evaluation_router
    from dangvu.figures.api import router as figures_router
    from dangvu.inspections.api import router as inspections_router
    from dangvu.meetings.api import router as meetings_router
    from dangvu.orgs.api import router as orgs_router
    from dangvu.reports.api import router as reports_router
    from dangvu.study.api import router as study_router
    from dangvu.targets.api import router as targets_router
    from dangvu.training.api import router as training_router

    api.add_router("/", orgs_router)
    api.add_router("/", documents_router)
    api.add_router("/", study_router)
    api.add_router("/", essays_router)
    api.add_router("/", training_router)
    api.add_router("/", figures_router)
    api.add_router("/", targets_router)
    api.add_router("/", inspections_router)
    api.add_router("/", evaluation_router)
    api.add_router("/", meetings_router)
    api.add_router("/", reports_router)


_register_routers()
