"""The sổ tay page. Its route keeps its name, essays:notebook, beside the member's own essay
page (essays:my_essay): see dangvu/urls.py."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dangvu.notebook.selectors import notebook_for


def notebook(request):
    """The member's home: unit, sessions, documents to study, essays due and their status, classes,
    meetings and evaluation."""
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404
    return render(request, "notebook/notebook.html", notebook_for(member, timezone.localdate()))
