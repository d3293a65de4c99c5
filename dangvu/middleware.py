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
    credentials and are not affected; an unverified session gets 401 from the API."""

    OPEN = ("/account/otp/", "/logout/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and not request.path_info.startswith(self.OPEN)
                and not session_is_complete(user)):
            if request.path_info.startswith("/api/") and "HTTP_AUTHORIZATION" not in request.META:
                from django.utils.translation import gettext as _

                return JsonResponse({"detail": _("Enter the code from your authenticator app first.")}, status=401)
            if not request.path_info.startswith("/api/"):
                from urllib.parse import urlencode

                return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def session_is_complete(user) -> bool:
    """A logged-in session counts: its user has no second factor, or gave its code."""
    return user.is_verified() or not _has_second_factor(user)


def _has_second_factor(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)
