"""Charts: a province's thousand sub-units drawn as the lowest and the highest."""


def test_a_chart_of_many_units_keeps_the_lowest_and_the_highest():
    from dangvu.lib.charts import lowest_and_highest

    bars = [(f"Chi bộ {n}", float(n % 97)) for n in range(300)]
    kept, note = lowest_and_highest(bars)
    values = sorted(v for _name, v in bars)
    assert len(kept) == 40 and [v for _n, v in kept] == values[:20] + values[-20:]
    assert "300 đơn vị" in note
    assert lowest_and_highest(bars[:10]) == (bars[:10], "")


LONG_TITLE = ("Đảng viên tham gia học tập, quán triệt nghị quyết · năm 2026 · "
              "20 đơn vị thấp nhất và 20 đơn vị cao nhất trong 1.234 đơn vị")


def test_a_long_title_wraps_within_the_picture_beside_long_unit_names():
    """Issue 23: on a province's dashboard the title ran off the right edge of the picture."""
    import io

    from matplotlib.image import imread

    from dangvu.lib.charts import TITLE_MARGIN, Bars, figure, png

    names = ["Đảng bộ tỉnh Quảng Ninh"] + [f"Đảng bộ Công ty Than Hạ Long - TKV số {n}" for n in range(40)]
    chart = Bars(title=LONG_TITLE, labels=names, values=[float(n) for n in range(41)], out_of=100)
    pixels = imread(io.BytesIO(png(chart)))
    margin = int(pixels.shape[1] * TITLE_MARGIN)
    assert pixels[:, -margin:, :3].min() == 1.0  # the right margin is blank: nothing drawn runs into it
    drawn = figure(chart)
    drawn.canvas.draw()
    title = drawn.get_suptitle()
    assert title.split() == LONG_TITLE.split()  # every word kept, only broken into lines
    assert len(title.splitlines()) == 2
    box = drawn._suptitle.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= drawn.bbox.width
    assert box.y0 >= drawn.axes[0].bbox.y1  # above the plot, not over it
