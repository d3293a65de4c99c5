"""A create form submitted twice (a double click, or the browser retrying a POST on a
dropped keep-alive connection) creates one object, not two.

The form carries a random token ({% once_token %}); the view asks `replayed()` first
and, after creating, `remember()`s where it sent the user. A repeat of the same
token is sent there again instead of creating a second object.
"""

from django.shortcuts import redirect

_KEEP = 50


def replayed(request):
    token = request.POST.get("once")
    url = request.session.get("once", {}).get(token) if token else None
    return redirect(url) if url else None


def remember(request, url: str) -> None:
    token = request.POST.get("once")
    if not token:
        return
    done = request.session.get("once", {})
    done[token] = url
    request.session["once"] = dict(list(done.items())[-_KEEP:])
