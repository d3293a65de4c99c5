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
