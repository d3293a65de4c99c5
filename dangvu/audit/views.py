"""Who read whose record (for the committee's security officer), and a member's download of
everything held about them."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dangvu.audit.export import personal_data_zip
from dangvu.audit.models import RecordRead
from dangvu.audit.reads import EXPORT, record_read
from dangvu.lib.keys import AUDIT_READ_ACCESS
from dangvu.lib.vntext import fold
from dangvu.orgs.access import get_unit_for_user, own_member
from dangvu.orgs.views import breadcrumbs

PAGE_SIZE = 50


def _name_words(field: str, text: str) -> Q:
    """Each word must start a word of the name (as the member search does)."""
    q = Q()
    for word in fold(text).split():
        q &= Q(**{f"{field}__contains": " " + word})
    return q


def record_reads(request, pk):
    """Readings of the records of members of the unit's subtree (where they were when read),
    newest first, filtered by whose record and by who read it."""
    unit = get_unit_for_user(request, pk, AUDIT_READ_ACCESS)
    whose, reader = request.GET.get("whose", "").strip(), request.GET.get("reader", "").strip()
    reads = RecordRead.objects.filter(unit_path__startswith=unit.path)
    if whose:
        reads = reads.filter(_name_words("member__name_key", whose))
    if reader:
        reads = reads.filter(Q(reader__username__iexact=reader) | _name_words("reader__member__name_key", reader))
    reads = reads.select_related("reader", "reader__member", "member__unit")
    page = Paginator(reads, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/record_reads.html", {
        "unit": unit, "page": page, "whose": whose, "reader": reader,
        "extra_query": "&" + urlencode({"whose": whose, "reader": reader}),
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def my_data(request):
    """Everything held about the signed-in member, for them alone: no id is taken, so nobody
    can ask for another's. Each download is logged with the readings of records."""
    member = own_member(request)
    if member is None:
        raise Http404
    member = type(member).objects.select_related("unit", "user").get(pk=member.pk)
    record_read(request, member, EXPORT)
    data = personal_data_zip(member)
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response
