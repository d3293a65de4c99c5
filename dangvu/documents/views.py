"""The document register: list, register (issue with a number, or receive), read, correct
and withdraw."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.documents import services
from dangvu.documents.access import get_document_for_user
from dangvu.documents.forms import DocumentEditForm, DocumentForm
from dangvu.documents.models import Document
from dangvu.documents.selectors import document_search
from dangvu.lib import uploads
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.keys import DOCUMENTS_READ, DOCUMENTS_WRITE
from dangvu.lib.once import remember, replayed
from dangvu.lib.xlsx import xlsx_response
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.scope import check_path, scope_for
from dangvu.orgs.views import breadcrumbs


def document_list(request, pk):
    unit = get_unit_for_user(request, pk, DOCUMENTS_READ)
    docs = document_search(Document.objects.filter(unit=unit), request.GET.get("q", ""))
    if request.GET.get("format") == "xlsx":
        headers = [_("Number"), _("document type"), _("date"), _("summary"), _("direction"), _("sent by or sent to"),
                   _("signed by"), _("incoming number"), _("received on"), _("withdrawn on")]
        rows = ([d.reference, d.get_doc_type_display(), d.issued_on, d.summary, d.get_direction_display(),
                 d.correspondent, d.signer, d.incoming_number, d.received_on, d.withdrawn_on]
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
        file_args.update({name: data[name] for name in services.REGISTER_FIELDS})
        try:
            if upload:  # a full disk refuses the file before it is read or a number is taken
                uploads.check_room(Document.file.field.storage, upload.name, upload.size)
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
    scope = scope_for(request)
    return render(request, "documents/document_detail.html", {
        "doc": doc, "can_write": scope.can(DOCUMENTS_WRITE, doc.unit.path),
        "can_list": scope.can(DOCUMENTS_READ, doc.unit.path),
        "breadcrumbs": breadcrumbs(request, doc.unit) + [doc.unit] if scope.sees(doc.unit.path) else []})


def document_edit(request, pk):
    """Correct a register entry (not its number, type or date): the register's keepers."""
    doc = get_document_for_user(request, pk)
    check_path(request, doc.unit.path, DOCUMENTS_WRITE)
    initial = {name: getattr(doc, name) for name in ("summary", "shared") + services.REGISTER_FIELDS}
    form = DocumentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(actor=request.user, doc=doc, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The register entry was saved."))
            return redirect("documents:detail", pk=doc.pk)
    return render(request, "documents/document_edit.html", {
        "doc": doc, "form": form, "breadcrumbs": breadcrumbs(request, doc.unit) + [doc.unit]})


@require_POST
def document_withdraw(request, pk):
    doc = get_document_for_user(request, pk)
    check_path(request, doc.unit.path, DOCUMENTS_WRITE)
    try:
        services.document_withdraw(actor=request.user, doc=doc, reason=request.POST.get("withdraw_reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The document was withdrawn; it stays in the register, marked."))
    return redirect("documents:detail", pk=doc.pk)


def document_file(request, pk):
    doc = get_document_for_user(request, pk)
    if not doc.file:
        raise Http404
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])
