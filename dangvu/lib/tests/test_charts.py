"""Charts: a province's thousand sub-units drawn as the lowest and the highest."""


def test_a_chart_of_many_units_keeps_the_lowest_and_the_highest():
    from dangvu.lib.charts import lowest_and_highest

    bars = [(f"Chi bộ {n}", float(n % 97)) for n in range(300)]
    kept, note = lowest_and_highest(bars)
    values = sorted(v for _name, v in bars)
    assert len(kept) == 40 and [v for _n, v in kept] == values[:20] + values[-20:]
    assert "300 đơn vị" in note
    assert lowest_and_highest(bars[:10]) == (bars[:10], "")
