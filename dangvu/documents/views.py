"""The document register: list, register (issue with a number, or receive), read."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dangvu.accounts.permissions import DOCUMENTS_READ, DOCUMENTS_WRITE, scope_for
from dangvu.documents import services
from dangvu.documents.access import get_document_for_user
from dangvu.documents.forms import DocumentForm
from dangvu.documents.models import Document
from dangvu.documents.selectors import document_search
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.once import remember, replayed
from dangvu.lib.xlsx import xlsx_response
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.views import breadcrumbs


def document_list(request, pk):
    unit = get_unit_for_user(request, pk, DOCUMENTS_READ)
    docs = document_search(Document.objects.filter(unit=unit), request.GET.get("q", ""))
    if request.GET.get("format") == "xlsx":
        headers = [_("Number"), _("document type"), _("date"), _("summary"), _("direction")]
        rows = ([d.reference, d.get_doc_type_display(), d.issued_on, d.summary, d.get_direction_display()]
                for d in docs.iterator(chunk_size=2000))
        return xlsx_response(f"so-van-ban-{unit.code}.xlsx", _("Document register"), headers, rows)
    page = Paginator(docs, 50).get_page(request.GET.get("page"))
    return render(request, "documents/document_list.html", {
        "unit": unit, "page": page, "q": request.GET.get("q", ""),
        "can_write": scope_for(request).can(DOCUMENTS_WRITE, unit.path),
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def document_create(request, pk):
    unit = get_unit_for_user(request, pk, DOCUMENTS_WRITE)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and (again := replayed(request)):
        return again  # the same form sent twice: one number, not two
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        file_args = dict(file_name=upload.name, data=upload.read()) if upload else {}
        try:
            if data["direction"] == Document.Direction.ISSUED:
                doc = services.document_issue(actor=request.user, unit=unit, doc_type=data["doc_type"],
                                              issued_on=data["issued_on"], summary=data["summary"],
                                              congress=data["congress"], **file_args)
            else:
                doc = services.document_receive(actor=request.user, unit=unit, doc_type=data["doc_type"],
                                                number=data["number"], issuer_symbol=data["issuer_symbol"],
                                                issued_on=data["issued_on"], summary=data["summary"], **file_args)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Registered as number %(ref)s.") % {"ref": doc.reference})
            remember(request, url := reverse("documents:detail", args=[doc.pk]))
            return redirect(url)
    return render(request, "documents/document_form.html", {
        "unit": unit, "form": form, "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def document_detail(request, pk):
    doc = get_document_for_user(request, pk)
    return render(request, "documents/document_detail.html", {"doc": doc})


def document_file(request, pk):
    doc = get_document_for_user(request, pk)
    if not doc.file:
        raise Http404
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])
