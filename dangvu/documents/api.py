"""The document register over JSON, scoped like the pages."""

import datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.documents import services
from dangvu.documents.access import get_document_for_user
from dangvu.documents.models import DocType, Document
from dangvu.documents.selectors import document_search
from dangvu.lib.api import Id, InSchema, Paginated
from dangvu.lib.keys import DOCUMENTS_READ, DOCUMENTS_WRITE
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.scope import scope_for

router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    reference: str
    direction: Document.Direction
    doc_type: DocType
    number: int | None
    issuer_symbol: str
    congress: bool
    issued_on: datetime.date
    summary: str
    unit_id: Id
    correspondent: str
    signer: str
    incoming_number: int | None
    received_on: datetime.date | None
    withdrawn_on: datetime.date | None


class DocumentIn(InSchema):
    direction: Document.Direction = Document.Direction.ISSUED
    doc_type: DocType
    issued_on: datetime.date
    summary: str = Field(..., min_length=3, max_length=500)
    congress: bool = False
    number: int | None = Field(None, ge=1, le=99_999, description="received documents only")
    issuer_symbol: str = Field("", max_length=20, description="received documents only")
    text: str = Field("", max_length=2_000_000)
    correspondent: str = Field("", max_length=300, description="received: who sent it; issued: where it is sent")
    signer: str = Field("", max_length=120)
    incoming_number: int | None = Field(None, ge=1, le=999_999, description="received documents: incoming book number")
    received_on: datetime.date | None = None


@router.get("/documents", response=list[DocumentOut])
@paginate(Paginated)
def list_documents(request, q: str = "", unit: Id | None = None):
    docs = Document.objects.filter(scope_for(request).path_q(DOCUMENTS_READ, "unit__path"))
    if unit is not None:
        docs = docs.filter(unit=get_unit_for_user(request, unit, DOCUMENTS_READ))
    return document_search(docs, q)


@router.get("/documents/{doc_id}", response=DocumentOut)
def get_document(request, doc_id: Id):
    return get_document_for_user(request, doc_id)


@router.post("/units/{unit_id}/documents", response={201: DocumentOut})
def create_document(request, unit_id: Id, payload: DocumentIn):
    """Register a document. Issued documents get the next number of their series; never send one."""
    unit = get_unit_for_user(request, unit_id, DOCUMENTS_WRITE)
    register = {name: getattr(payload, name) for name in services.REGISTER_FIELDS}
    if payload.direction == Document.Direction.ISSUED:
        doc = services.document_issue(actor=request.user, unit=unit, doc_type=payload.doc_type,
                                      issued_on=payload.issued_on, summary=payload.summary,
                                      congress=payload.congress, text=payload.text, **register)
    else:
        doc = services.document_receive(actor=request.user, unit=unit, doc_type=payload.doc_type,
                                        number=payload.number, issuer_symbol=payload.issuer_symbol,
                                        issued_on=payload.issued_on, summary=payload.summary, text=payload.text,
                                        **register)
    return Status(201, doc)
