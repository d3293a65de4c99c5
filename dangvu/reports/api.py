"""Reports over JSON: a stable contract.

POST /api/units/{id}/reports {"from", "to", "template": id | null} → 201 {"id"}; the build
runs as a job. GET /api/reports/{id} → {"status", "figures", "sections"}; /docx, /pdf and
/xlsx give the files."""

import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from dangvu.lib import measures, partydoc
from dangvu.lib.api import Id, InSchema
from dangvu.lib.keys import REPORTS_READ, REPORTS_WRITE
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.scope import scope_for
from dangvu.reports import services
from dangvu.reports.access import get_report_for_user, get_template_for_unit
from dangvu.reports.build import figures_of
from dangvu.reports.models import Report

router = Router(tags=["reports"])


class ReportIn(InSchema):
    start: datetime.date = Field(..., alias="from")
    end: datetime.date = Field(..., alias="to")
    template: Id | None = None


class Created(Schema):
    id: int


class SectionOut(Schema):
    title: str
    text: str
    computed: bool


class ReportOut(Schema):
    status: str = Field(..., description="building, draft or issued (failed when a build broke)")
    figures: dict[str, float]
    sections: list[SectionOut]
    # beyond the contract: what a client needs to show it
    id: int
    unit: int
    start: datetime.date = Field(..., alias="from")
    end: datetime.date = Field(..., alias="to")
    number: str | None
    error: str


@router.post("/units/{unit_id}/reports", response={201: Created})
def create_report(request, unit_id: Id, payload: ReportIn):
    """Start a report of the unit for the period; the template (the unit's committee's or
    above, else the one that ships) gives its sections."""
    unit = get_unit_for_user(request, unit_id, REPORTS_WRITE)
    template = get_template_for_unit(unit, payload.template) if payload.template else None
    report = services.report_create(actor=request.user, unit=unit, start=payload.start, end=payload.end,
                                    template=template)
    return Status(201, {"id": report.pk})


def _out(report: Report, request) -> dict:
    scope = scope_for(request)
    readable = {m.key for m in measures.all_measures() if scope.can(m.permission, report.unit.path)}
    figures = {k: v for k, v in figures_of(report.values, report.unit.path).items() if k in readable}
    return {"status": report.status, "figures": figures,
            "sections": [{"title": s["title"], "text": s.get("text", ""), "computed": s["computed"]}
                         for s in report.sections],
            "id": report.pk, "unit": report.unit_id, "from": report.start, "to": report.end,
            "number": report.document.reference if report.document_id else None, "error": report.error}


@router.get("/reports/{report_id}", response=ReportOut, by_alias=True)
def get_report(request, report_id: Id):
    return _out(get_report_for_user(request, report_id), request)


def file_response(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _built(request, report_id) -> Report:
    report = get_report_for_user(request, report_id, REPORTS_READ)
    if report.status in (Report.Status.BUILDING, Report.Status.FAILED):
        raise HttpError(409, "Báo cáo chưa tính xong số liệu; hãy thử lại sau.")
    return report


@router.get("/reports/{report_id}/docx", response={200: None})
def report_docx(request, report_id: Id):
    from dangvu.reports.document import docx_bytes

    report = _built(request, report_id)
    return file_response(docx_bytes(report), f"bao-cao-{report.pk}.docx", partydoc.DOCX_TYPE)


@router.get("/reports/{report_id}/pdf", response={200: None})
def report_pdf(request, report_id: Id):
    from dangvu.lib.office import office_binary

    report = _built(request, report_id)
    if office_binary() is None:
        raise HttpError(503, "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản .docx.")
    data = services.report_pdf(actor=request.user, report=report)
    if data is None:
        raise HttpError(409, _("The PDF is being made; try again in a few seconds."))
    return file_response(data, f"bao-cao-{report.pk}.pdf", "application/pdf")


@router.get("/reports/{report_id}/xlsx", response={200: None})
def report_xlsx(request, report_id: Id):
    from dangvu.reports.document import report_xlsx as xlsx

    report = _built(request, report_id)
    return file_response(xlsx(report), f"bao-cao-{report.pk}-phu-luc.xlsx", XLSX)
