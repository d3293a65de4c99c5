"""Fetching documents for a user, and the documents a unit may name in its work."""

from django.http import Http404

from dangvu.accounts.access import check_path
from dangvu.accounts.permissions import DOCUMENTS_READ, STUDY_READ, scope_for
from dangvu.documents.models import Document
from dangvu.orgs.models import OrgUnit, path_prefixes


def get_document_for_user(request, pk) -> Document:
    """Readable by the register's unit subtree, and by members studying it in a campaign."""
    doc = Document.objects.select_related("unit").filter(pk=pk).first()
    if doc is None:
        raise Http404
    member = getattr(request.user, "member", None)
    if member is not None and doc.campaigns.filter(units__path__in=path_prefixes(member.unit.path)).exists():
        return doc
    scope = scope_for(request)
    if scope.can(DOCUMENTS_READ, doc.unit.path):
        return doc
    # a campaign organised in the user's subtree studies it
    if any(scope.can(STUDY_READ, c.unit.path) for c in doc.campaigns.select_related("unit")):
        return doc
    check_path(request, doc.unit.path, DOCUMENTS_READ)
    return doc


def documents_offered(unit: OrgUnit):
    """Documents a unit's campaign may study: those registered by the unit or a unit above
    it (the province's resolution, the commune's plan). The page offers the latest 200;
    the API accepts any of them, and nothing else."""
    return Document.objects.filter(unit__path__in=path_prefixes(unit.path))
