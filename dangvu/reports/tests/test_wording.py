"""The template language: numbers as the seeds write them, clauses left out at zero."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.reports.wording import (
    Figure,
    TemplateError,
    fmt_count,
    fmt_percent,
    keys_in,
    plain,
    render_paragraphs,
)

VALUES = {"a.x": Figure(10), "a.y": Figure(739), "a.z": Figure(0), "a.rate": Figure(71.33, 229, 321, rate=True),
          "a.done": Figure(5875), "a.asked": Figure(5875), "a.thin": Figure(6), "a.copied": Figure(7)}


def say(text: str) -> list[str]:
    return [plain(p) for p in render_paragraphs(text, lambda k, prev: VALUES.get(k, Figure(0)), {"year": "2026"})]


def test_the_seeds_sentences():
    assert say("Mở {a.x} lớp cho {a.y} quần chúng ưu tú[; {a.z} lớp khác].") == [
        "Mở 10 lớp cho 739 quần chúng ưu tú."]
    assert say("{a.done} bài, đạt {a.done/a.asked} kế hoạch[, trong đó có {a.thin+a.copied} bài phải làm lại].") == [
        "5.875 bài, đạt 100% kế hoạch, trong đó có 13 bài phải làm lại."]
    assert say("{a.rate|ratio} chi bộ, đạt {a.rate} kế hoạch") == ["229/321 chi bộ, đạt 71,33% kế hoạch"]
    assert say("{a.x|02} giải Nhì, {a.thin|02} giải Ba năm {year}") == ["10 giải Nhì, 06 giải Ba năm 2026"]


def test_the_period_before():
    before = {"a.x": Figure(4)}
    parts = render_paragraphs("{a.x} lớp, năm trước {a.x|prev} lớp",
                              lambda k, prev: (before if prev else VALUES).get(k, Figure(0)), {})
    assert [plain(p) for p in parts] == ["10 lớp, năm trước 4 lớp"]


def test_a_paragraph_whose_clauses_all_drop_goes_and_the_next_starts_cleanly():
    assert say("[Có {a.z} lớp.]\n\n[{a.z} lớp][; mở {a.x} lớp].") == ["Mở 10 lớp."]


def test_placeholders_that_cannot_be_read_are_named():
    for bad in ("{a.x|lạ}", "{a.x/a.y/a.z}", "{chữ}", "{a.x+}"):
        with pytest.raises(TemplateError, match="không đọc được"):
            keys_in(bad)
    assert keys_in("{year} {a.x+a.y} {a.rate|ratio}") == ["a.x", "a.y", "a.rate"]


@given(st.integers(min_value=0, max_value=10**12))
def test_counts_group_thousands_with_dots(value):
    text = fmt_count(value)
    assert int(text.replace(".", "")) == value and all(len(g) == 3 for g in text.split(".")[1:])


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_percentages_use_a_comma_and_at_most_two_decimals(value):
    text = fmt_percent(value)
    assert text.endswith("%") and "." not in text
    assert abs(float(text[:-1].replace(",", ".")) - round(value, 2)) < 0.006


def test_clauses_nest_so_that_any_clause_of_a_sentence_may_drop():
    text = "[Tổ chức {a.x} đợt với {a.y} hội nghị[, trong đó {a.z} hội nghị trực tuyến]][; {a.z} bài chưa nộp]."
    assert say(text) == ["Tổ chức 10 đợt với 739 hội nghị."]
    assert say("[Tổ chức {a.z} đợt[, trong đó {a.x} trực tuyến]]. [Viết {a.x} bài.]") == ["Viết 10 bài."]


def test_a_rate_without_a_base_is_left_out_with_its_clause():
    assert say("Viết {a.x} bài[, đạt {a.x/a.z} kế hoạch].") == ["Viết 10 bài."]


def test_a_list_says_the_items_there_are_with_their_conjunction():
    text = "Ban hành {a.y} văn bản[, trong đó {list:a.x nghị quyết; a.z chỉ thị; a.thin kế hoạch; a.copied báo cáo}]."
    assert say(text) == ["Ban hành 739 văn bản, trong đó 10 nghị quyết, 6 kế hoạch và 7 báo cáo."]
    assert say("[Ban hành {list:a.z nghị quyết; a.x kế hoạch}.]") == ["Ban hành 10 kế hoạch."]
    assert say("[Ban hành {list:a.z nghị quyết}.]") == []
    assert keys_in("{list:a.x nghị quyết; a.z chỉ thị}") == ["a.x", "a.z"]


def test_brackets_that_do_not_match_are_named():
    for bad in ("[Có {a.x} lớp.", "Có {a.x} lớp.]", "[[Có] {a.x}"):
        with pytest.raises(TemplateError, match="ngoặc vuông"):
            keys_in(bad)


def test_a_change_against_the_period_before_is_said_as_the_seeds_say_it():
    before = {"a.x": Figure(14), "a.y": Figure(739)}

    def say_both(text):
        return [plain(p) for p in render_paragraphs(
            text, lambda k, prev: (before if prev else VALUES).get(k, Figure(0)), {"year": "2026"})]

    assert say_both("Kết nạp {a.x} đảng viên[, {a.x|change} so với năm trước].") == [
        "Kết nạp 10 đảng viên, giảm 4 so với năm trước."]
    assert say_both("Có {a.y} bài[, {a.y|change} so với năm trước].") == ["Có 739 bài."]  # equal: nothing said
    assert say_both("Có {a.thin} bài[ ({a.thin|change})].") == ["Có 6 bài (tăng 6)."]
    assert keys_in("{a.x|change}") == ["a.x"]


def test_a_paragraph_ends_with_its_last_word_when_its_last_clauses_drop():
    assert say("Mở {a.x} lớp.[ Cử {a.z} đồng chí.]") == ["Mở 10 lớp."]
