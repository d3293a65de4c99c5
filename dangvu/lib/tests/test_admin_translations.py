"""Issue 23: /admin/ reads in Vietnamese for a committee's administrator where it shows the
packages' models (django-axes, django-otp's TOTP devices, django-tasks-db) and the admin's own
words; the English site keeps the packages' English."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone


def texts(response) -> set[str]:
    """The page's visible strings: each text between tags, trimmed."""
    page = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", "", response.content.decode())
    return {html.unescape(t).strip() for t in re.split(r"<[^>]+>", page)} - {""}


def columns(response) -> dict[str, str]:
    """A list's column titles by the field or method each shows."""
    found = re.findall(r'(?s)<th scope="col" class="[^"]*column-(\w+)[^"]*">(.*?)</th>', response.content.decode())
    return {name: html.unescape(re.sub(r"<[^>]+>", "", title)).strip() for name, title in found}


@pytest.fixture
def root(client, db):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    user = get_user_model().objects.create_superuser("root", password="x-root")
    seen = dict(user_agent="Firefox", ip_address="10.0.0.7", username="bithu", http_accept="*/*", path_info="/login/")
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=3)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen, locked_out=True)
    officer = get_user_model().objects.create_user("vanphong", password="x-vanphong")
    TOTPDevice.objects.create(user=officer, name="điện thoại", confirmed=True)
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="dangvu.jobs.tasks.run_job",
                                backend_name="default", run_after=timezone.now(), exception_class_path="",
                                traceback="")
    client.force_login(user)  # the site's language: Vietnamese (settings.LANGUAGE_CODE), no cookie
    return user


def test_the_admin_index_names_the_packages_apps_and_models_in_vietnamese(client, root):
    shown = texts(client.get("/admin/"))
    assert {"Bảo vệ đăng nhập", "Lượt đăng nhập sai", "Lần đăng nhập sai", "Nhật ký đăng nhập",
            "Xác thực hai lớp", "Thiết bị xác thực hai lớp",
            "Hàng đợi công việc nền", "Kết quả công việc nền",
            "Chuyển đến nội dung chính", "Loại dữ liệu"} <= shown
    assert not {"Axes", "Access attempts", "Access failures", "Access logs", "Otp_Totp", "TOTP devices",
                "Tasks Database Backend", "Task Results", "Skip to main content", "Model name", "Add link",
                "Change or view list link", "Toggle theme (current theme: auto)"} & shown


def test_login_protection_lists_read_in_vietnamese(client, root):
    answer = client.get("/admin/axes/accessattempt/")
    assert columns(answer) == {"attempt_time": "Thời điểm đăng nhập", "ip_address": "Địa chỉ IP",
                               "user_agent": "Trình duyệt (User-Agent)", "username": "Tên đăng nhập",
                               "path_info": "Đường dẫn", "failures_since_start": "Số lần đăng nhập sai",
                               "status": "Trạng thái"}
    shown = texts(answer)
    assert {"Chọn lượt đăng nhập sai để thay đổi", "Thời điểm đăng nhập", "Địa chỉ IP", "Trình duyệt (User-Agent)",
            "Tên đăng nhập", "Đường dẫn", "Số lần đăng nhập sai", "Trạng thái", "2 lần thử còn lại",
            "Xóa các lượt đăng nhập sai đã hết hạn", "Hiện số lượng", "Thực hiện"} <= shown
    assert not {"Attempt Time", "IP Address", "User Agent", "Path", "Failed Logins", "Status", "2 Attempt Remaining",
                "Clean up expired attempts", "Show counts", "Run"} & shown
    shown = texts(client.get("/admin/axes/accessfailurelog/"))
    assert {"Chọn lần đăng nhập sai để thay đổi", "Bị khóa", "Bởi Bị khóa"} <= shown
    assert not {"Access lock out", "Bởi Access lock out"} & shown
    shown = texts(client.get("/admin/axes/accesslog/"))
    assert {"Chọn nhật ký đăng nhập để thay đổi", "Thời điểm đăng xuất"} <= shown and "Logout Time" not in shown


def test_cleaning_up_expired_attempts_says_so_in_vietnamese(client, root):
    from axes.models import AccessAttempt

    answer = client.post("/admin/axes/accessattempt/", {
        "action": "cleanup_expired_attempts", "_selected_action": [AccessAttempt.objects.get().pk]}, follow=True)
    assert "Đã xóa 0 lượt đăng nhập sai đã hết hạn." in texts(answer)


def test_second_factor_devices_read_in_vietnamese(client, root):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    answer = client.get("/admin/otp_totp/totpdevice/")
    assert columns(answer) == {"user": "Người dùng", "name": "Tên", "created_at": "Tạo lúc",
                               "last_used_at": "Dùng lần cuối lúc", "confirmed": "Đã xác nhận", "qrcode_link": "Mã QR"}
    shown = texts(answer)
    assert {"Chọn thiết bị xác thực hai lớp để thay đổi", "Người dùng", "Tên", "Tạo lúc", "Dùng lần cuối lúc",
            "Đã xác nhận", "Mã QR", "Tìm theo tên đăng nhập hoặc địa chỉ email"} <= shown
    assert not {"User", "Name", "Created at", "Last used at", "Confirmed", "QR Code", "qrcode"} & shown
    shown = texts(client.get(f"/admin/otp_totp/totpdevice/{TOTPDevice.objects.get().pk}/change/"))
    assert {"Định danh", "Thời điểm", "Cấu hình", "Hạn chế nhập sai", "Khóa bí mật:",
            "Khóa bí mật dạng hex, tối đa 40 byte.", "Số lần xác thực sai liên tiếp."} <= shown
    assert not {"Identity", "Timestamps", "Configuration", "Throttling", "Key:",
                "A hex-encoded secret key of up to 40 bytes.", "Number of successive failed attempts."} & shown


def test_background_task_results_read_in_vietnamese(client, root):
    answer = client.get("/admin/django_tasks_database/dbtaskresult/")
    assert columns(answer) == {"id": "Id", "task_name": "Công việc nền", "status": "Trạng thái",
                               "enqueued_at": "Vào hàng đợi lúc", "started_at": "Bắt đầu lúc",
                               "finished_at": "Kết thúc lúc", "priority": "Độ ưu tiên", "queue_name": "Hàng đợi"}
    shown = texts(answer)
    assert {"Chọn kết quả công việc nền để xem", "Đang chờ", "Bởi trạng thái", "Bởi độ ưu tiên"} <= shown
    assert not {"Task name", "Enqueued at", "Priority", "Queue name", "Ready", "Bởi priority"} & shown


def test_the_english_site_keeps_the_packages_english(client, root):
    client.cookies["django_language"] = "en"
    shown = texts(client.get("/admin/"))
    assert {"Login protection", "Access attempts", "Second factor", "TOTP devices", "Task Results"} <= shown
    shown = texts(client.get("/admin/axes/accessattempt/"))
    assert {"Attempt Time", "Failed Logins", "Status", "2 Attempt Remaining"} <= shown


def test_dangvus_own_logs_read_in_vietnamese(client, root):
    """The change log, the record readings, the background jobs and the document register as
    the admin lists them: every column titled in Vietnamese."""
    import datetime

    from dangvu.audit.models import AuditEntry, RecordRead
    from dangvu.documents.services import document_issue
    from dangvu.jobs.models import Job
    from dangvu.orgs import services
    from dangvu.orgs.models import UnitKind

    unit = services.unit_create(actor=root, parent=None, name="Đảng bộ xã Hùng An", code="G", kind=UnitKind.GRASSROOTS,
                                valid_from=datetime.date(2020, 1, 1))  # audited: one change log entry
    unit = services.unit_update(actor=root, unit=unit, symbol="ĐU")
    services.term_create(actor=root, unit=unit, name="2025-2030", congress_closed_on=datetime.date(2025, 8, 20))
    document_issue(actor=root, unit=unit, doc_type="BC", issued_on=datetime.date(2026, 3, 2), summary="Báo cáo")
    RecordRead.objects.create(reader=root, unit_path=unit.path, via=RecordRead.Via.values[0])
    Job.objects.create(kind="figures.recount", subject_id=0)
    assert AuditEntry.objects.exists()
    assert columns(client.get("/admin/audit/auditentry/")) == {
        "at": "Thời điểm", "actor": "Người sửa", "action": "Thao tác", "model": "Loại hồ sơ", "object_repr": "Hồ sơ"}
    assert columns(client.get("/admin/audit/recordread/")) == {
        "at": "Thời điểm", "reader": "Người xem", "member": "Hồ sơ của", "via": "Xem qua", "unit_path": "Đơn vị (đường dẫn cây)"}
    jobs = columns(client.get("/admin/jobs/job/"))
    # (the list is sorted by "created": its title follows the sort's priority number)
    assert {jobs[k].split("\n")[-1].strip() for k in ("done", "total", "created")} == {"Đã xong", "Tổng số", "Tạo lúc"}
    assert columns(client.get("/admin/documents/document/"))["shown_reference"] == "Số, ký hiệu"
