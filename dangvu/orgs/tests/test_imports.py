import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from conftest import make_member, run_worker
from dangvu.audit.models import AuditEntry
from dangvu.orgs import imports, services
from dangvu.orgs.imports import build_template
from dangvu.orgs.models import Candidate, ImportJob, Member, OrgUnit, UnitKind

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "mau-nhap-to-chuc.xlsx"


@pytest.fixture
def root(org):
    return services.unit_create(actor=None, parent=org.G, name="Đảng bộ bộ phận Hùng An", code="TQ-0001",
                                kind=UnitKind.SUB, valid_from=datetime.date(2020, 1, 1))


def test_the_committed_sample_imports_cleanly(root, org):
    plan = imports.build_plan(SAMPLE.read_bytes(), root=root)
    assert plan.errors == []
    result = imports.apply_plan(plan, root=root, actor=org.users["off"], file_name=SAMPLE.name)
    assert result == {"units": 2, "members": 6, "candidates": 2}
    assert Candidate.objects.get(full_name="Ma Thị Lan").stage == "xet_ket_nap"
    cell = OrgUnit.objects.get(code="TQ-0001-M02")
    assert cell.has_committee and cell.path.startswith(root.path)
    hoa = Member.objects.get(full_name="Lý Thị Hòa")
    assert hoa.status == "du_bi" and hoa.official_date is None and hoa.unit.code == "TQ-0001-M01"
    assert AuditEntry.objects.filter(action="import", object_id=str(root.pk)).count() == 1


BAD_MEMBERS = [
    ["Nguyễn Văn An", "12/03/1978", "Nam", "19/05/2001", "", "", "", "", "", "TQ-0001-M01"],
    ["", "12/03/1979", "Nam", "19/05/2001", "", "", "", "", "", "TQ-0001-M01"],          # 3: no name
    ["Lê Văn Bình", "31/02/1980", "Nam", "19/05/2001", "", "", "", "", "", "TQ-0001-M01"],  # 4: bad date
    ["Nguyễn Văn An", "12/03/1978", "Nam", "19/05/2001", "", "", "", "", "", "TQ-0001-M01"],  # 5: duplicate of 2
    ["Phạm Thị Cúc", "01/01/1990", "Nữ", "01/01/2015", "", "", "", "", "", "KHONG-CO"],     # 6: unknown unit
    ["Vũ Văn Dũng", "01/01/1990", "Không rõ", "01/01/2015", "", "", "", "", "", "TQ-0001-M01"],  # 7: bad sex
    ["Đỗ Thị Em", "01/01/1990", "Nữ", "01/01/2015", "01/01/2014", "", "", "", "", "TQ-0001-M01"],  # 8: official < admitted
]
UNITS = [["TQ-0001-M01", "Chi bộ thôn Khuổi Nấng", "Chi bộ", "TQ-0001", "Không", "", ""],
         ["TQ-0001-M01", "Chi bộ trùng mã", "Chi bộ", "TQ-0001", "", "", ""]]  # 3: duplicate code


def test_every_bad_row_is_reported_in_vietnamese_and_nothing_is_written(root, org):
    plan = imports.build_plan(build_template(BAD_MEMBERS, UNITS), root=root)
    found = {(e.sheet, e.row, e.column) for e in plan.errors}
    assert found == {
        ("Đơn vị", 3, "Mã đơn vị"),
        ("Đảng viên", 3, "Họ và tên"),
        ("Đảng viên", 4, "Ngày sinh"),
        ("Đảng viên", 5, "Họ và tên"),
        ("Đảng viên", 6, "Mã đơn vị"),
        ("Đảng viên", 7, "Giới tính"),
        ("Đảng viên", 8, "Ngày chính thức"),
    }
    messages = {(e.row, e.column): e.message for e in plan.errors}
    assert "trùng với dòng 2" in messages[(3, "Mã đơn vị")]
    assert "Trùng với dòng 2" in messages[(5, "Họ và tên")]
    assert "31/02/1980" in messages[(4, "Ngày sinh")] and "ngày/tháng/năm" in messages[(4, "Ngày sinh")]
    assert "KHONG-CO" in messages[(6, "Mã đơn vị")]
    with pytest.raises(ValueError):
        imports.apply_plan(plan, root=root, actor=None)
    assert not OrgUnit.objects.filter(code="TQ-0001-M01").exists()


def test_existing_people_and_units_are_duplicates(root, org):
    cell = services.unit_create(actor=None, parent=root, name="Chi bộ có sẵn", code="TQ-0001-M01", kind=UnitKind.CELL,
                                valid_from=datetime.date(2020, 1, 1))
    make_member(cell, "Nguyễn Văn An", datetime.date(1978, 3, 12))
    plan = imports.build_plan(build_template(BAD_MEMBERS[:1], UNITS[:1]), root=root)
    assert [(e.sheet, e.row) for e in plan.errors] == [("Đơn vị", 2), ("Đảng viên", 2)]
    assert "đã có" in plan.errors[1].message


def test_a_file_that_is_not_excel_gets_a_clear_error(root):
    plan = imports.build_plan(b"%PDF-1.4 not a spreadsheet", root=root)
    assert len(plan.errors) == 1 and ".xlsx" in plan.errors[0].message


def test_a_failure_while_writing_rolls_everything_back(root, org):
    plan = imports.build_plan(SAMPLE.read_bytes(), root=root)
    # Another clerk takes one of the codes after the check: the unique index stops the write.
    plan.units[1]["code"] = plan.units[0]["code"]
    with pytest.raises(Exception):  # noqa: B017 - any database error will do
        imports.apply_plan(plan, root=root, actor=None)
    assert not OrgUnit.objects.filter(code__startswith="TQ-0001-M").exists()
    assert not Member.objects.filter(full_name="Lý Thị Hòa").exists()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after each task
def test_upload_preview_and_apply_through_the_pages_and_the_real_worker(client, root, org,
                                                                       django_capture_on_commit_callbacks):
    client.force_login(org.users["off"])
    with django_capture_on_commit_callbacks(execute=True):
        with SAMPLE.open("rb") as f:
            response = client.post(reverse("orgs:import_start", args=[root.pk]), {"file": f})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == "queued"
    run_worker()
    job.refresh_from_db()
    assert job.status == "valid" and job.summary == {"units": 2, "members": 6, "candidates": 2, "errors": 0}
    page = client.get(reverse("orgs:import_job", args=[job.pk]))
    assert "sẽ tạo 2 đơn vị, 6 đảng viên và 2 quần chúng ưu tú" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orgs:import_apply", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert job.status == "done"
    assert Member.objects.filter(unit__code__startswith="TQ-0001-M").count() == 6
    # applying twice is refused, saying why, and writes nothing more
    again = client.post(reverse("orgs:import_apply", args=[job.pk]), follow=True)
    assert "đã được nhập" in again.content.decode() or "already been imported" in again.content.decode()
    assert Member.objects.filter(unit__code__startswith="TQ-0001-M").count() == 6


def test_upload_rejects_files_that_are_not_xlsx(client, root, org):
    client.force_login(org.users["off"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("orgs:import_start", args=[root.pk]),
                           {"file": SimpleUploadedFile("danh-sach.xls", b"\xd0\xcf\x11\xe0")})
    assert "danh-sach.xls" in response.content.decode() and not ImportJob.objects.exists()


def test_template_download_has_both_sheets(client, org):
    client.force_login(org.users["sec"])
    from io import BytesIO

    from openpyxl import load_workbook
    wb = load_workbook(BytesIO(client.get(reverse("orgs:import_template")).content))
    assert wb.sheetnames == ["Đơn vị", "Đảng viên", "Quần chúng ưu tú"]
    assert [c.value for c in wb["Đảng viên"][1]][:2] == ["Họ và tên", "Ngày sinh"]


def test_command_line_import_checks_then_writes(root, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "co-loi.xlsx"
    bad.write_bytes(build_template(BAD_MEMBERS, UNITS))
    with pytest.raises(CommandError, match="7 lỗi"):
        call_command("import_org", str(bad), "--unit", "TQ-0001", verbosity=0)
    assert "co-loi.xlsx: trang “Đảng viên”, dòng 4, cột “Ngày sinh”" in capsys.readouterr().err
    assert not Member.objects.filter(unit__code__startswith="TQ-0001-M").exists()
    call_command("import_org", str(SAMPLE), "--unit", "TQ-0001", verbosity=0)
    assert Member.objects.filter(unit__code__startswith="TQ-0001-M").count() == 6


BAD_CANDIDATES = [
    ["Hoàng Văn Dũng", "14/02/2003", "Nam", "Đang học", "TQ-0001-M01"],
    ["Hoàng Văn Dũng", "14/02/2003", "Nam", "", "TQ-0001-M01"],  # 3: repeats row 2
    ["Ma Thị Lan", "21/10/2001", "Nữ", "Đã kết nạp rồi", "TQ-0001-M01"],  # 4: a stage the sheet may not set
    ["Lục Văn Nhỏ", "01/01/2019", "Nam", "", "TQ-0001-M01"],  # 5: a child
    ["Vi Thị Xa", "01/01/2000", "Nữ", "", "A"],  # 6: a cell outside the import's root
]


def test_candidates_are_checked_row_by_row_and_written_only_when_all_are_right(root, org):
    plan = imports.build_plan(build_template([], UNITS[:1], BAD_CANDIDATES), root=root)
    found = {(e.sheet, e.row, e.column) for e in plan.errors}
    assert found == {("Quần chúng ưu tú", 3, "Họ và tên"), ("Quần chúng ưu tú", 4, "Giai đoạn"),
                     ("Quần chúng ưu tú", 5, "Ngày sinh"), ("Quần chúng ưu tú", 6, "Mã đơn vị")}
    assert not Candidate.objects.exists()
    plan = imports.build_plan(build_template([], UNITS[:1], BAD_CANDIDATES[:1]), root=root)
    assert plan.errors == []
    imports.apply_plan(plan, root=root, actor=None)
    dung = Candidate.objects.get()
    assert dung.stage == "dang_hoc" and dung.unit.code == "TQ-0001-M01" and dung.sort_key
