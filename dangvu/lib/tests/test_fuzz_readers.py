"""Malformed files into every reader: the essay readers (.docx, .pdf, .txt), the .xlsx
import and the bulk .zip. Each either reads or refuses with a Vietnamese message; never
another exception (a 500), never a hang (hypothesis' deadline). Bounded for CI."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.essays import bulk
from dangvu.lib.files import extract_text
from dangvu.orgs import imports

SAMPLE_XLSX = (Path(imports.__file__).parent / "samples" / "mau-nhap-to-chuc.xlsx").read_bytes()


def _docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Le Van Cuong.txt", "Bài của anh Cường." * 20)
        z.writestr("Tran Thi Binh.docx", _docx())
    return out.getvalue()


SEEDS = {".docx": _docx(), ".pdf": _pdf(), ".txt": "Bài thu hoạch.".encode(), ".xlsx": SAMPLE_XLSX, ".zip": _zip()}
FUZZ = settings(max_examples=40, deadline=3000, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def mutated(draw, seed: bytes):
    """The seed file damaged the ways files are: bytes flipped, cut short, stretched, or random."""
    data = bytearray(seed)
    kind = draw(st.sampled_from(["flip", "truncate", "insert", "random"]))
    if kind == "random":
        return draw(st.binary(max_size=4096))
    if kind == "truncate":
        return bytes(data[:draw(st.integers(0, len(data)))])
    for _ in range(draw(st.integers(1, 20))):
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".txt"])
def test_essay_readers_read_or_refuse_in_vietnamese(suffix):
    @FUZZ
    @given(data=mutated(SEEDS[suffix]))
    def check(data):
        try:
            text = extract_text(f"bai{suffix}", data)
        except ValidationError as exc:
            assert f"bai{suffix}" in " ".join(exc.messages)  # the message names the file
        else:
            assert isinstance(text, str)

    check()


def test_the_import_reads_or_reports_rows(org):
    @FUZZ
    @given(data=mutated(SEEDS[".xlsx"]))
    def check(data):
        plan = imports.build_plan(data, root=org.G)
        for error in plan.errors:
            assert error.message  # every problem is a Vietnamese sentence with its place

    check()


def test_the_bulk_zip_reads_or_refuses(org):
    @FUZZ
    @given(data=mutated(SEEDS[".zip"]))
    def check(data):
        try:
            names = bulk.list_zip(data)
            files = bulk.read_zip(data)
        except ValidationError as exc:
            assert exc.messages
        else:
            assert sorted(files) == sorted(names)

    check()
