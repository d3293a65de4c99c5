"""Fetching documents for a user, and the documents a unit may name in its work."""


from dangvu.documents.models import Document
from dangvu.lib.keys import DOCUMENTS_READ
from dangvu.orgs.models import ACTIVE_STATUSES, OrgUnit, path_prefixes
from dangvu.orgs.scope import check_path, not_found, scope_for


def get_document_for_user(request, pk) -> Document:
    """Readable with documents:read over its register's unit; a shared document also by every
    unit and member below that unit (what they study). Attaching a document to a campaign never
    widens who reads it: only shared ones can be."""
    doc = Document.objects.select_related("unit").filter(pk=pk).first()
    if doc is None:
        not_found(request, DOCUMENTS_READ)
    scope = scope_for(request)
    if scope.can(DOCUMENTS_READ, doc.unit.path):
        return doc
    if doc.shared and _stands_below(request, scope, doc.unit.path):
        return doc
    check_path(request, doc.unit.path, DOCUMENTS_READ)  # 404 as if missing, or 403 to a reader without the key
    return doc


def _stands_below(request, scope, path: str) -> bool:
    """The user, or the member they are, stands at or under `path`."""
    member = getattr(request.user, "member", None)
    if member is not None and member.status in ACTIVE_STATUSES and member.unit.path.startswith(path):
        return True  # a member who left reads no longer what their cell studies
    return any(g.path.startswith(path) for g in scope.grants) or scope.is_superuser


def documents_offered(unit: OrgUnit):
    """Documents a unit's campaign may study: the shared ones registered by the unit or a unit
    above it (the province's resolution, the commune's plan). The page offers the latest 200;
    the API accepts any of them, and nothing else."""
    return Document.objects.filter(unit__path__in=path_prefixes(unit.path), shared=True)
