"""Who read whose record: written by each page, export and endpoint that shows one member's
record, read by the committee's security officer (audit:read_access)."""

from dangvu.audit.models import RecordRead

PAGE = RecordRead.Via.PAGE
API = RecordRead.Via.API
EXPORT = RecordRead.Via.EXPORT


def record_read(request, member, via: str) -> None:
    """One INSERT and nothing else: the member comes with its unit (every access helper fetches
    it so), the reader is the request's user. A member reading their own record on its page is
    no access to watch; their download of it is (`EXPORT`), so it is always written."""
    user = request.user
    if via != EXPORT and member.user_id is not None and member.user_id == user.pk:
        return
    RecordRead.objects.create(reader_id=user.pk if user.is_authenticated else None, member_id=member.pk,
                              unit_path=member.unit.path, via=via)
