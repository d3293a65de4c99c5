"""The menu offers only what the user may use, in the language they read."""


def test_a_plain_member_is_not_offered_api_tokens_an_officer_is(client, org):
    client.force_login(org.users["mem"])
    page = client.get("/so-tay/").content.decode()
    assert "/account/tokens/" not in page and "Sổ tay" in page
    client.force_login(org.users["sec"])
    assert "/account/tokens/" in client.get("/so-tay/").content.decode()


def test_the_language_switch_offers_the_other_language(client, org):
    client.force_login(org.users["sec"])
    page = client.get(f"/units/{org.A.pk}/").content.decode()
    assert 'value="en">English</button>' in page and 'value="vi">Tiếng Việt' not in page


def test_committee_terms_and_counts_say_what_they_count(client, org):
    from dangvu.orgs import services

    services.unit_update(actor=None, unit=org.A, has_committee=True)
    client.force_login(org.users["off"])
    commune = client.get(f"/units/{org.G.pk}/").content.decode()
    assert "2</b>đơn vị trực thuộc" in commune and "2</b>chi bộ trong toàn đảng bộ" in commune
    assert commune.count('<span class="badge">chi ủy</span>') == 1  # cell A only, never a đảng bộ
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="x-root"))
    province = client.get(f"/units/{org.P.pk}/").content.decode()
    assert "1</b>đơn vị trực thuộc" in province and "2</b>chi bộ trong toàn đảng bộ" in province
    assert "chi ủy" not in province.split("<h2>")[1]  # the đảng bộ below has a đảng ủy, not a chi ủy
    cell = client.get(f"/units/{org.A.pk}/").content.decode()
    assert 'id="count-cells"' not in cell and "có chi ủy" in cell


def test_a_members_cell_is_named_with_its_commune_where_the_list_spans_communes(client, org):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="x-root"))
    province = client.get(f"/units/{org.P.pk}/members/").content.decode()
    assert "Chi bộ thôn Nà Ngoa <span class=\"muted\">· Đảng bộ xã Hùng An</span>" in province
    commune = client.get(f"/units/{org.G.pk}/members/").content.decode()
    assert "<span class=\"muted\">· Đảng bộ xã Hùng An" not in commune  # within the commune its cells need no more
