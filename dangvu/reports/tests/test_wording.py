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


# --- best and worst sub-units, documents cited, words by the unit's kind (issue 23) -------------

SUB_UNITS = {
    "a.rate": [("Chi bộ thôn Nà Ngoa", Figure(75, 3, 4, rate=True)), ("Chi bộ thôn Bản Mới", Figure(33.33, 1, 3, rate=True)),
               ("Chi bộ thôn Nà Mò", Figure(0, 0, 0, rate=True))],  # no base: not compared
    "a.x": [("Chi bộ A", Figure(2)), ("Chi bộ B", Figure(2)), ("Chi bộ C", Figure(1))],
    "a.same": [("Chi bộ A", Figure(3)), ("Chi bộ B", Figure(3))],
    "a.zero": [("Chi bộ A", Figure(4)), ("Chi bộ B", Figure(0))],
    "a.one": [("Chi bộ A", Figure(4)), ("Chi bộ B", Figure(0, 0, 0, rate=True))],
    "a.many": [(f"Chi bộ {c}", Figure(100, 1, 1, rate=True)) for c in "ABCD"] + [("Chi bộ E", Figure(50, 1, 2, rate=True))],
    "a.mixed": [("Đảng bộ xã A", Figure(5)), ("Chi bộ B", Figure(5)), ("Chi bộ C", Figure(5)), ("Chi bộ D", Figure(5)),
                ("Chi bộ E", Figure(1))],
}


def say_in(text: str, cell: bool = False, documents=None) -> list[str]:
    from dangvu.reports.wording import Context

    context = Context(cell=cell, sub_units=lambda key: SUB_UNITS.get(key, []),
                      documents=documents or (lambda which, types: ([], 0)))
    return [plain(p) for p in render_paragraphs(text, lambda k, prev: VALUES.get(k, Figure(0)), {}, context)]


def test_the_best_and_the_worst_sub_unit_are_named_with_their_figure():
    assert say_in("Đạt {a.rate}[; {best:a.rate}][, {worst:a.rate}].") == [
        "Đạt 71,33%; Chi bộ thôn Nà Ngoa dẫn đầu với 75%, Chi bộ thôn Bản Mới thấp nhất với 33,33%."]
    # ties are named together; words follow the number, or take it where # stands
    assert say_in("[{best:a.x # đảng viên được kết nạp}.]") == [
        "Chi bộ A và Chi bộ B cùng dẫn đầu với 2 đảng viên được kết nạp."]
    assert say_in("[{best:a.x lớp}; {worst:a.x}.]") == ["Chi bộ A và Chi bộ B cùng dẫn đầu với 2 lớp; Chi bộ C thấp nhất với 1."]
    # more than three tied: counted, by what they are
    assert say_in("[{best:a.many}.]") == ["4 chi bộ cùng dẫn đầu với 100%."]
    assert say_in("[{best:a.mixed}.]") == ["4 tổ chức đảng cùng dẫn đầu với 5."]
    assert keys_in("{best:a.x # đảng viên} {worst:a.rate}") == ["a.x", "a.rate"]


def test_a_comparison_that_says_nothing_true_drops_its_clause():
    assert say_in("Có {a.x} lớp[; {best:a.same}].") == ["Có 10 lớp."]  # all equal
    assert say_in("Có {a.x} lớp[; {worst:a.zero}].") == ["Có 10 lớp."]  # the lowest is zero
    assert say_in("Có {a.x} lớp[; {best:a.one}].") == ["Có 10 lớp."]  # one sub-unit with a base
    assert say_in("Có {a.x} lớp[; {best:a.none}].") == ["Có 10 lớp."]  # a cell: no sub-units
    assert say_in("Có {a.x} lớp[; {best:a.zero}].") == ["Có 10 lớp; Chi bộ A dẫn đầu với 4."]


def test_words_follow_the_units_kind():
    text = "[{cell:Chi bộ|Các cấp ủy, tổ chức đảng} đã tiến hành {a.x} cuộc kiểm tra[{cell:|, trong đó} {a.y} cuộc].]"
    assert say_in(text) == ["Các cấp ủy, tổ chức đảng đã tiến hành 10 cuộc kiểm tra, trong đó 739 cuộc."]
    assert say_in(text, cell=True) == ["Chi bộ đã tiến hành 10 cuộc kiểm tra."]
    assert keys_in(text) == ["a.x", "a.y"]


def test_documents_are_cited_by_number_and_date():
    plan = {"id": 1, "type": "KH", "number": 1, "reference": "01-KH/ĐU", "date": "15/01/2026", "by": "",
            "summary": "Kế hoạch học tập, quán triệt Nghị quyết số 57-NQ/TW."}
    resolution = {"id": 2, "type": "NQ", "number": 57, "reference": "57-NQ/TW", "date": "22/12/2024",
                  "by": "Bộ Chính trị", "summary": "Về đột phá phát triển khoa học, công nghệ"}
    rule = {"id": 3, "type": "QĐ", "number": 3, "reference": "03-QĐ/TU", "date": "02/02/2026", "by": "Tỉnh ủy Thử",
            "summary": "Quy định về phân cấp quản lý cán bộ"}
    asked = []

    def documents(which, types):
        asked.append((which, types))
        return [resolution, plan, rule], 9

    said = say_in("[Học tập {documents:studied}.]", documents=documents)
    assert said == ["Học tập Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
                    "công nghệ; Kế hoạch số 01-KH/ĐU ngày 15/01/2026 về học tập, quán triệt Nghị quyết số 57-NQ/TW; "
                    "Quy định số 03-QĐ/TU ngày 02/02/2026 của Tỉnh ủy Thử về phân cấp quản lý cán bộ và 6 văn bản "
                    "khác."]
    assert say_in("Ban hành[: {documents:issued kh nq}].") == ["Ban hành."]  # none: the clause drops
    assert say_in("[{documents:issued KH}]", documents=documents) and asked[-1] == ("issued", ("KH",))
    assert keys_in("{documents:issued KH} {documents:issued} {documents:studied}") == [
        "documents.issued_kh", "documents.issued", "study.campaigns", "documents.issued"]
    for bad in ("{documents:read}", "{documents:issued XX}", "{best:}", "{worst:chữ}"):
        with pytest.raises(TemplateError, match="không đọc được"):
            keys_in(bad)


def test_a_citation_does_not_repeat_the_type_or_the_word_ve():
    from dangvu.reports.wording import cite

    def of(doc_type, summary, number=2, by=""):
        return cite({"type": doc_type, "number": number, "reference": f"0{number}-{doc_type}/ĐU", "date": "01/02/2026",
                     "by": by, "summary": summary})

    assert of("CT", "Chỉ thị về tăng cường sự lãnh đạo của Đảng.") == (
        "Chỉ thị số 02-CT/ĐU ngày 01/02/2026 về tăng cường sự lãnh đạo của Đảng")
    assert of("TB", "V/v lịch sinh hoạt chi bộ", by="Đảng ủy xã Hùng An") == (
        "Thông báo số 02-TB/ĐU ngày 01/02/2026 của Đảng ủy xã Hùng An về lịch sinh hoạt chi bộ")
    assert of("KH", "Tổ chức hội nghị học tập") == "Kế hoạch số 02-KH/ĐU ngày 01/02/2026 về tổ chức hội nghị học tập"
    assert of("KH", "Tỉnh ủy giao chỉ tiêu") == "Kế hoạch số 02-KH/ĐU ngày 01/02/2026 về Tỉnh ủy giao chỉ tiêu"
    assert of("NQ", "Ban Thường vụ lãnh đạo") == "Nghị quyết số 02-NQ/ĐU ngày 01/02/2026 về Ban Thường vụ lãnh đạo"
    assert of("NQ", "Nghị quyết", number=None) == "Nghị quyết ngày 01/02/2026"  # nothing more to say


def test_a_list_of_clauses_keeps_its_grammar_when_its_first_items_drop():
    """"có 11 đảng viên được đánh giá, trong đó [xuất sắc][; tốt]…": with nobody xuất sắc the list
    starts at the next item, not with "; " (the seeds' "trong đó 9 đồng chí … tốt"), and with
    every item gone ", trong đó" goes too. A clause written with its own separator first is a
    sentence part, not a list, and keeps it."""
    listed = "Có {a.x} người[, trong đó [{a.z} xuất sắc][; {a.thin} tốt][; {a.copied} đạt]]."
    assert say(listed) == ["Có 10 người, trong đó 6 tốt; 7 đạt."]
    assert say("Có {a.x} người[, trong đó [{a.z} xuất sắc][; {a.z} tốt]].") == ["Có 10 người."]
    assert say("Có {a.x} người[, trong đó [{a.thin} xuất sắc][; {a.z} tốt][; {a.copied} đạt]].") == [
        "Có 10 người, trong đó 6 xuất sắc; 7 đạt."]
    assert say("Có {a.x} người[, trong đó {a.z} xuất sắc][; {a.thin} tốt].") == ["Có 10 người; 6 tốt."]
