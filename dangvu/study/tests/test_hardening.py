"""The hardening issue's examples, each with its class: ids through the scope, safe exports,
bounded input, login protection, transport headers, error pages."""

import datetime
import inspect
import io
import json
import os
import subprocess
import sys

import pytest
from django import forms as django_forms
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.documents import services as doc_services
from dangvu.essays import services as essay_services
from dangvu.lib.forms import CleanTextMixin
from dangvu.orgs.models import Member
from dangvu.study.models import Attendance, Campaign

from .conftest import DAY, TODAY

API = "application/json"


def post_json(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type=API)


def test_api_campaign_refuses_a_document_outside_what_the_unit_studies(client, org, studied_document):
    """A sibling cell's document is refused as if it did not exist; nothing is created;
    a document of the committee above may be studied."""
    org_services_b = doc_services
    sibling_doc = org_services_b.document_receive(actor=None, unit=org.B, doc_type="CV", number=5, issuer_symbol="X",
                                                  issued_on=datetime.date(2025, 9, 1), summary="Công văn nội bộ chi bộ B")
    client.force_login(org.users["sec"])
    body = {"title": "Học tập chuyên đề", "document_ids": [sibling_doc.pk], "start": str(TODAY),
            "end": str(TODAY + 10 * DAY), "essay_required": False}
    refused = post_json(client, f"/api/units/{org.A.pk}/campaigns", body)
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["field"] == "document_ids" and str(sibling_doc.pk) in error["message"]
    assert "Công văn nội bộ" not in refused.content.decode()
    assert not Campaign.objects.exists()
    # the document stays unreadable for the cell
    assert client.get(f"/api/documents/{sibling_doc.pk}").status_code == 404
    # a unit outside the campaign's unit, or a made-up one: the same refusal
    for unit_ids in ([org.B.pk], [2**53]):
        response = post_json(client, f"/api/units/{org.A.pk}/campaigns", dict(body, document_ids=[], unit_ids=unit_ids))
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "unit_ids"
    ok = post_json(client, f"/api/units/{org.A.pk}/campaigns", dict(body, document_ids=[studied_document.pk]))
    assert ok.status_code == 201
    assert list(Campaign.objects.get().documents.all()) == [studied_document]


def test_exports_write_formulas_as_text_and_drop_characters_excel_cannot_hold(client, org):
    org.other_member.full_name = '=HYPERLINK("http://x","y")'
    org.other_member.save()
    Member.objects.filter(pk=org.mem_member.pk).update(full_name="Lê Văn\x01 Cường")  # stored before the fix
    client.force_login(org.users["off"])
    response = client.get(reverse("orgs:unit_members", args=[org.A.pk]) + "?format=xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    formula = cells['=HYPERLINK("http://x","y")']
    assert formula.data_type == "s" and formula.quotePrefix  # shown, never run
    assert "Lê Văn Cường" in cells
    dates = [c.value for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, datetime.datetime)]
    assert dates, "dates are real dates, not text"


@pytest.mark.parametrize("where", ["api", "form"])
@pytest.mark.parametrize("control", ["\x01", "\x96"])  # C0, and C1 (a cp1252 dash read as Latin-1)
def test_a_control_character_is_refused_naming_the_field(client, org, where, control):
    client.force_login(org.users["sec"])
    code = f"U+{ord(control):04X}"
    if where == "api":
        response = post_json(client, f"/api/members/{org.other_member.pk}", {"full_name": f"Phạm{control} Dung"},
                             "patch")
        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert error["field"] == "full_name" and code in error["message"]
    else:
        data = {"full_name": f"Phạm{control} Dung", "date_of_birth": "03/02/1988", "sex": "nu",
                "admission_date": "02/03/2008", "official_date": "02/03/2009", "status": "chinh_thuc"}
        response = client.post(reverse("orgs:member_edit", args=[org.other_member.pk]), data)
        assert response.status_code == 200 and code in response.content.decode()
    assert Member.objects.get(pk=org.other_member.pk).full_name == "Phạm Thị Dung"


def test_every_form_refuses_control_characters():
    """Found by walking the code: a form added later without the mixin fails here."""
    import dangvu.documents.forms
    import dangvu.orgs.forms
    import dangvu.study.forms  # noqa: F401

    forms_found = [cls for cls in _subclasses(django_forms.BaseForm) if cls.__module__.startswith("dangvu.")]
    assert len(forms_found) >= 8
    missing = [cls.__qualname__ for cls in forms_found if not issubclass(cls, CleanTextMixin)]
    assert not missing


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_integer_the_api_accepts_is_bounded(client, org):
    """Read from the OpenAPI document: a new parameter or field without a maximum fails here."""
    client.force_login(org.users["off"])
    spec = client.get("/api/openapi.json").json()
    unbounded = []

    def walk(schema, where):
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                walk(spec["components"]["schemas"][name], name)
            return
        if schema.get("type") == "integer" and "maximum" not in schema:
            unbounded.append(where)
        for key in ("properties",):
            for prop, sub in schema.get(key, {}).items():
                walk(sub, f"{where}.{prop}")
        for key in ("items", "additionalProperties"):
            walk(schema.get(key), f"{where}[]")
        for key in ("anyOf", "allOf", "oneOf"):
            for sub in schema.get(key, []):
                walk(sub, where)

    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            seen = set()
            for param in op.get("parameters", []):
                walk(param.get("schema"), f"{method.upper()} {path} {param['name']}")
            body = op.get("requestBody", {}).get("content", {}).get(API, {}).get("schema")
            walk(body, f"{method.upper()} {path} body")
    assert not unbounded


@pytest.mark.parametrize("url", ["/api/members?limit=1000000", "/api/members?offset=9223372036854775808",
                                 "/api/units/9223372036854775808", "/api/members/99999999999999999999",
                                 "/api/units/{G}/study-summary?year=0", "/api/units/{G}/study-summary?year=-5",
                                 "/api/units/{G}/study-summary?year=10000"])
def test_numbers_out_of_range_get_422_naming_the_field(client, org, url):
    client.force_login(org.users["off"])
    response = client.get(url.format(G=org.G.pk))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in ("limit", "offset", "unit_id", "member_id", "year")


def test_big_ids_in_bodies_and_impossible_years_on_pages(client, org, campaign):
    from dangvu.study import services

    session = services.session_record(actor=None, campaign=campaign, held_on=TODAY - DAY)
    client.force_login(org.users["off"])
    marks = post_json(client, f"/api/sessions/{session.pk}/attendance", {"marks": {str(2**64): "present"}}, "put")
    assert marks.status_code == 422
    points = post_json(client, f"/api/campaigns/{campaign.pk}/sessions",
                       {"held_on": str(TODAY), "mode": "online", "points": [{"name": "A", "head_count": 2**63}]})
    assert points.status_code == 422 and points.json()["errors"][0]["field"] == "head_count"
    too_many = post_json(client, f"/api/campaigns/{campaign.pk}/sessions",
                         {"held_on": str(TODAY), "mode": "online", "points": [{"name": f"Điểm {n}"} for n in range(301)]})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "points"
    for year in ("0", "-5", "10000", "99999999999999999999999"):
        page = client.get(reverse("study:unit_campaigns", args=[org.G.pk]) + f"?year={year}")
        assert page.status_code == 200
    assert not Attendance.objects.exists()


def test_a_member_must_be_18_on_the_day_of_admission_in_the_api_the_form_and_the_import(client, org):
    client.force_login(org.users["sec"])
    body = {"full_name": "Đỗ Thị Giang", "date_of_birth": "2000-06-15", "sex": "nu"}
    young = post_json(client, f"/api/units/{org.A.pk}/members", dict(body, admission_date="2018-06-14"))
    assert young.status_code == 422 and young.json()["errors"][0]["field"] == "admission_date"
    child = post_json(client, f"/api/units/{org.A.pk}/members", dict(body, admission_date="2009-06-15"))
    assert child.status_code == 422
    assert post_json(client, f"/api/units/{org.A.pk}/members", dict(body, admission_date="2018-06-15")).status_code == 201


def test_anonymous_api_calls_get_401_in_vietnamese(client, org):
    for method, url in (("post", f"/api/units/{org.A.pk}/members"), ("get", "/api/units")):
        response = getattr(client, method)(url, data="{}", content_type=API) if method == "post" else client.get(url)
        assert response.status_code == 401
        assert "đăng nhập" in response.json()["detail"].lower()


def test_wrong_passwords_lock_the_account_from_that_address_only(client, org, settings):
    """Guesses lock the (account, address) pair: the guesser, even with the right password, but
    never the real user from their own address (issue 24: anyone could lock any account)."""
    from django.test import Client

    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("login")
    for _ in range(2):
        assert client.post(url, {"username": "sec", "password": "sai"}).status_code == 200
    assert client.post(url, {"username": "sec", "password": "sai"}).status_code == 429  # the third: locked
    locked = client.post(url, {"username": "sec", "password": "x-sec"})
    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    # the real user, from their own address, still logs in; so does another account from the guesser's
    real = Client().post(url, {"username": "sec", "password": "x-sec"}, REMOTE_ADDR="10.0.0.2")
    assert real.status_code == 302
    other = Client().post(url, {"username": "off", "password": "x-off"})
    assert other.status_code == 302


def test_pages_carry_a_content_security_policy_without_inline_script(client, org):
    client.force_login(org.users["sec"])
    response = client.get(reverse("orgs:unit", args=[org.A.pk]))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode() and "onchange=" not in response.content.decode()


def test_production_settings_pass_check_deploy():
    env = dict(os.environ, SECURE_COOKIES="1", DEBUG="0", SECRET_KEY="k" * 20 + "-Xy9#pQ" * 8)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process, never in production
    done = subprocess.run([sys.executable, "-m", "dangvu", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_error_pages_are_vietnamese_in_the_site_layout(client, org, settings):
    settings.DEBUG = False
    client.force_login(org.users["sec"])
    missing = client.get(reverse("orgs:unit", args=[org.B.pk]))
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "Không tìm thấy trang" in page and 'class="brand"' in page and "Not Found" not in page
    forbidden = client.get(reverse("orgs:unit", args=[org.A.pk]))
    assert forbidden.status_code == 200
    assert inspect.isfunction(test_error_pages_are_vietnamese_in_the_site_layout)


def test_a_copied_pair_across_cells_shows_the_other_side_as_its_unit_only(client, org, campaign):
    from dangvu.essays.models import IntegrityScan, ScanPair

    mine = essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member, today=TODAY,
                                 text="Tôi học tập nghị quyết và liên hệ bản thân trong công tác ở thôn.")
    theirs = essay_services.essay_submit(actor=None, campaign=campaign, member=org.out_member, today=TODAY,
                                   text="Bí mật riêng của chi bộ Bản Mới: tôi học tập nghị quyết và liên hệ bản thân.")
    scan = IntegrityScan.objects.create(campaign=campaign, status=IntegrityScan.Status.DONE, essays=2, result={
        "clusters": [[mine.pk, theirs.pk, mine.pk]], "thin": []})
    ScanPair.objects.create(scan=scan, n=0, a=mine.pk, b=theirs.pk, score=0.8, passages=[])
    client.force_login(org.users["sec"])
    listing = client.get(f"/scans/{scan.pk}/").content.decode()
    pair = client.get(f"/scans/{scan.pk}/pairs/0/").content.decode()
    for page in (listing, pair):
        assert "Lê Văn Cường" in page  # their own cell's writer
        assert "Hoàng Văn Em" not in page and "Bí mật riêng" not in page
        assert "Chi bộ thôn Bản Mới" in page  # the other side as its unit
    assert "80%" in pair
    client.force_login(org.users["off"])  # the committee above reads both
    assert "Hoàng Văn Em" in client.get(f"/scans/{scan.pk}/pairs/0/").content.decode()


def test_a_committees_own_decision_never_reaches_a_cell_through_a_campaign(client, org, studied_document):
    """A cell secretary read any document of the committees above by naming it in a campaign's
    document_ids, after which it opened for every member of the cell (issue 24). What a register
    shares below can be studied and read below; its decisions about people cannot."""
    decision = doc_services.document_issue(actor=None, unit=org.G, doc_type="QĐ", issued_on=TODAY - 3 * DAY,
                                           summary="Quyết định số riêng về đảng viên Phạm Thị Dung",
                                           text="Kiểm tra đồng chí Phạm Thị Dung về việc chấp hành Điều lệ.")
    assert studied_document.shared and not decision.shared  # the register's defaults: a resolution, a decision
    client.force_login(org.users["sec"])
    body = {"title": "Học tập chuyên đề", "document_ids": [decision.pk], "start": str(TODAY),
            "end": str(TODAY + 10 * DAY), "essay_required": False}
    refused = post_json(client, f"/api/units/{org.A.pk}/campaigns", body)
    assert refused.status_code == 422 and "Phạm Thị Dung" not in refused.content.decode()
    assert client.get(f"/api/documents/{decision.pk}").status_code == 404
    assert "Quyết định số riêng" not in client.get(f"/units/{org.A.pk}/campaigns/new/").content.decode()
    inspections_page = client.get(f"/units/{org.A.pk}/inspections/")
    assert inspections_page.status_code == 200 and 'name="decision"' in inspections_page.content.decode()
    assert "Quyết định số riêng" not in inspections_page.content.decode()  # the record form's decisions
    # the shared resolution is studied and read below, by the cell and by its members
    assert post_json(client, f"/api/units/{org.A.pk}/campaigns",
                     dict(body, document_ids=[studied_document.pk])).status_code == 201
    client.force_login(org.users["mem"])
    assert client.get(f"/documents/{studied_document.pk}/").status_code == 200
    assert client.get(f"/documents/{decision.pk}/").status_code == 404
