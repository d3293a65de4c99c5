from urllib.parse import urlencode

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


class LoginRequired(LoginRequiredMiddleware):
    """Every page needs a login; the API answers 401 itself instead of redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class VietnameseFirstLocale:
    """Vietnamese unless the user chose another language (the language cookie set by
    /i18n/setlang/). Browsers' Accept-Language is ignored: Party offices share
    machines set up in English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SecondFactorRequired:
    """A user who turned on the second factor reaches nothing but the code page (and
    logging out) until the session is verified with a code. API tokens are separate
    credentials and are not affected; an unverified session gets 401 from the API.

    With OTP_REQUIRED_FOR_WRITERS on, an account that holds a key to change records anywhere
    and has no second factor yet reaches nothing but the page that sets one up: a stolen
    password alone must not write. Accounts that only read are not affected."""

    OPEN = ("/account/otp/", "/logout/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and not request.path_info.startswith(self.OPEN)
                and not (request.path_info.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META)):
            held = self._held(request)
            if held is not None:
                return held
        return self.get_response(request)

    def _held(self, request):
        from django.utils.translation import gettext as _

        user = request.user
        if user.is_verified():
            return None
        api = request.path_info.startswith("/api/")
        if _has_second_factor(user):
            if api:
                return JsonResponse({"detail": _("Enter the code from your authenticator app first.")}, status=401)
            return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        if second_factor_required(request):
            if api:
                return JsonResponse({"detail": _("Your account can change records: set up the second factor "
                                                 "first, on the account page.")}, status=401)
            return redirect("accounts:otp_setup")
        return None


def second_factor_required(request) -> bool:
    """Whether this account must have a second factor: the setting is on and it holds a write key."""
    from django.conf import settings

    from dangvu.orgs.scope import scope_for

    return getattr(settings, "OTP_REQUIRED_FOR_WRITERS", False) and scope_for(request).writes_anywhere()


def session_is_complete(user) -> bool:
    """A logged-in session counts: its user has no second factor, or gave its code."""
    return user.is_verified() or not _has_second_factor(user)


def _has_second_factor(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)
