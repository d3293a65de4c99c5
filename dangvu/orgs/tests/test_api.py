import json

from dangvu.accounts.models import ApiToken
from dangvu.accounts.services import token_create


def test_openapi_lists_the_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ["/api/units", "/api/units/{unit_id}", "/api/units/{unit_id}/children", "/api/members",
                 "/api/members/{member_id}", "/api/units/{unit_id}/members"]:
        assert path in paths


def test_token_auth_is_scoped_like_the_pages(client, org):
    _token, raw = token_create(user=org.users["out"], name="script")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(f"/api/units/{org.B.pk}", headers=headers).status_code == 200
    assert client.get(f"/api/units/{org.A.pk}", headers=headers).status_code == 404
    assert ApiToken.objects.get().last_used is not None
    assert client.get(f"/api/units/{org.B.pk}", headers={"Authorization": "Bearer sai"}).status_code == 401
    assert ApiToken.objects.get().digest != raw  # only the hash is stored


def test_children_carry_rolled_up_counts(client, org):
    client.force_login(org.users["off"])
    children = {c["code"]: c for c in client.get(f"/api/units/{org.G.pk}/children").json()}
    assert children["A"]["member_count"] == 3 and children["B"]["member_count"] == 1
    assert client.get(f"/api/units/{org.G.pk}").json()["member_count"] == 4


def test_errors_are_in_vietnamese_and_name_the_field(client, org):
    client.force_login(org.users["sec"])
    response = client.post(f"/api/units/{org.A.pk}/members", data=json.dumps({"full_name": "Lê Văn Tám",
                           "date_of_birth": "30/02/1990", "sex": "nam"}), content_type="application/json")
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["date_of_birth"].startswith("Ngày không hợp lệ")
    assert errors["admission_date"] == "Thiếu trường bắt buộc."
    response = client.post(f"/api/units/{org.A.pk}/members", data=json.dumps({
        "full_name": "Lê Văn Tám", "date_of_birth": "1990-01-01", "sex": "nam", "admission_date": "1989-01-01"}),
        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "admission_date", "message": "Ngày vào Đảng phải sau ngày sinh."}


def test_member_search_over_the_api(client, org):
    client.force_login(org.users["off"])
    items = client.get("/api/members", {"q": "hoang van"}).json()["items"]
    assert [m["full_name"] for m in items] == ["Hoàng Văn Em"]
