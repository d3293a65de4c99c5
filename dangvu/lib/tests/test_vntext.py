import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from dangvu.lib.numbers import fmt_int, fmt_pct
from dangvu.lib.vntext import fold, name_sort_key, search_key, split_name

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ "


@given(st.text(alphabet=VIET + VIET.upper(), max_size=40))
def test_fold_is_idempotent_and_ignores_normal_form(text):
    assert fold(fold(text)) == fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


def test_fold_treats_old_and_new_tone_placement_alike():
    assert fold("hoà") == fold("hòa") == fold("HOÀ") == "hoa"
    assert fold("thuỷ") == fold("thủy") == "thuy"
    assert fold("Đảng bộ") == "dang bo"


def test_names_sort_by_given_name_then_family_name():
    names = ["Trần Thị Bình", "Nguyễn Văn Anh", "Lê Văn Bình", "Nguyễn Văn An", "Đỗ Văn Đức", "Hoàng Văn Dũng"]
    assert sorted(names, key=name_sort_key) == [
        "Nguyễn Văn An", "Nguyễn Văn Anh", "Lê Văn Bình", "Trần Thị Bình", "Hoàng Văn Dũng", "Đỗ Văn Đức"]
    # đ comes after d, ư after u, as in the Vietnamese alphabet
    assert name_sort_key("A Đạt") > name_sort_key("A Dung")
    assert name_sort_key("A Ưng") > name_sort_key("A Uyên")


@given(st.text(alphabet=VIET, min_size=1, max_size=30))
def test_sort_keys_are_plain_ascii_so_every_database_orders_them_alike(name):
    key = name_sort_key(name)
    assert key.isascii() and key == key.lower()
    assert name_sort_key(unicodedata.normalize("NFD", name)) == key


def test_split_name_and_search_key():
    assert split_name(" Nguyễn  Thị Minh Khai ") == ("Nguyễn", "Thị Minh", "Khai")
    assert search_key("Nguyễn Văn An") == " nguyen van an"


def test_vietnamese_numbers():
    assert fmt_int(1257021) == "1.257.021"
    assert fmt_pct(229, 321) == "71,34%"
    assert fmt_pct(1, 0) == "–"
