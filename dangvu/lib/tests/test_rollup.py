"""The tree roll-up against a brute-force count, for any paths and things (hypothesis)."""

from hypothesis import given
from hypothesis import strategies as st

from dangvu.lib.rollup import Scope, count_prefixes, group_prefixes, rollup, rollup_distinct

CELLS = ["0001", "00010001", "000100010001", "000100010002", "00010002", "000100020001", "0002", "00020001"]


def brute(pairs, root, levels=None):
    out = {}
    for unit in {p[:n] for p, _ in pairs for n in range(4, len(p) + 1, 4)}:
        if not unit.startswith(root) or (levels is not None and len(unit) > len(root) + 4 * levels):
            continue
        things = {t for p, t in pairs if p.startswith(unit)}
        if things:
            out[unit] = len(things)
    return out


@given(st.lists(st.tuples(st.sampled_from(CELLS), st.integers(0, 20)), max_size=60),
       st.sampled_from(["", "0001", "00010001"]), st.sampled_from([None, 0, 1, 2]))
def test_distinct_things_per_unit(pairs, root, levels):
    assert rollup_distinct(pairs, Scope(root, levels)) == brute(pairs, root, levels)


@given(st.lists(st.tuples(st.sampled_from(CELLS), st.integers(0, 5)), max_size=40))
def test_counts_and_groups_agree(pairs):
    groups = group_prefixes(pairs, "0001")
    assert count_prefixes(groups.values()) == brute(pairs, "0001")
    counted = rollup([(p, 1) for p, _ in set(pairs)], "0001")
    assert all(counted[u] >= n for u, n in brute(pairs, "0001").items())

