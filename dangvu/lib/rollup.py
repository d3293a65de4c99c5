"""The tree roll-up, written once: values counted where they happen, added up the tree.

Units are materialised paths (treebeard): a unit's ancestors are the prefixes of
its path, one step (4 characters) at a time. A value counted at a unit counts for
that unit and every ancestor down from `root`.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

STEP = 4

_levels: ContextVar[int | None] = ContextVar("rollup_levels", default=None)


@contextmanager
def levels_below_root(levels: int | None):
    """Within the block, roll-ups stop `levels` below their root (1: the root and its
    children): a report of a province needs its sub-units, not its 12,000 cells."""
    token = _levels.set(levels)
    try:
        yield
    finally:
        _levels.reset(token)


def prefixes(path: str, root: str = "") -> list[str]:
    """The unit's own path and its ancestors' paths that lie at or below `root`."""
    start = max(len(root), STEP)
    return [path[:n] for n in range(start, len(path) + 1, STEP)]


def _counted_at(path: str, root: str) -> list[str]:
    """The units a value counted at `path` counts for: its prefixes at or below `root`, down
    to the levels asked for (levels_below_root)."""
    levels = _levels.get()
    if levels is None:
        return prefixes(path, root)
    start = max(len(root), STEP)
    return [path[:n] for n in range(start, min(len(path), len(root) + levels * STEP) + 1, STEP)]


def rollup(counts: Iterable[tuple[str, int]], root: str) -> dict[str, int]:
    """Sum counts made at units (path, n) into every unit at or below `root` above them."""
    out: dict[str, int] = defaultdict(int)
    for path, n in counts:
        if path.startswith(root):
            for prefix in _counted_at(path, root):
                out[prefix] += n
    return dict(out)


def rollup_crossing(moves: Iterable[tuple[str, str | None, int]], root: str) -> dict[str, int]:
    """Count moves (path, other path, n) at the units they cross: a move between two cells of
    one commune counts for both cells and for nothing above them. `other` None: outside."""
    out: dict[str, int] = defaultdict(int)
    for path, other, n in moves:
        if not path.startswith(root):
            continue
        for prefix in _counted_at(path, root):
            if other is None or not other.startswith(prefix):
                out[prefix] += n
    return dict(out)


def group_prefixes(pairs: Iterable[tuple[str, object]], root: str) -> dict[object, list[str]]:
    """For each distinct thing of (path, thing), the units at or below `root` that hold it
    (its paths and their ancestors), each once: a member of two cells of one commune is
    in both cells and once in the commune. Things at one unit share that unit's list."""
    first: dict[object, str] = {}  # most things are at one unit: no set for them
    more: dict[object, set] = {}
    for path, thing in pairs:
        if not path.startswith(root):
            continue
        seen = first.get(thing)
        if seen is None:
            first[thing] = path
        elif seen != path:
            more.setdefault(thing, {seen}).add(path)
    known: dict[str, list[str]] = {}  # a unit's prefixes, worked out once per unit

    def of(path: str) -> list[str]:
        found = known.get(path)
        if found is None:
            found = known[path] = _counted_at(path, root)
        return found

    return {thing: of(path) if thing not in more else sorted({p for other in more[thing] for p in of(other)})
            for thing, path in first.items()}


def count_prefixes(groups: Iterable[list[str]]) -> dict[str, int]:
    """How many of the things (each given by its units) every unit holds. Things at the same
    single unit share one list (group_prefixes makes one per unit), counted together: a
    province's 300,000 essays sit in 12,000 cells."""
    groups = list(groups)
    lists = {id(units): units for units in groups}
    return count_weighted((lists[key], n) for key, n in Counter(map(id, groups)).items())


def count_weighted(entries: Iterable[tuple[list[str], int]]) -> dict[str, int]:
    """How many things every unit holds, given (units, how many things hold exactly these)."""
    out: dict[str, int] = defaultdict(int)
    for units, n in entries:
        for prefix in units:
            out[prefix] += n
    return dict(out)


def rollup_distinct(pairs: Iterable[tuple[str, object]], root: str) -> dict[str, int]:
    """How many distinct things (path, thing) each unit holds, its subtree included."""
    return count_prefixes(group_prefixes(pairs, root).values())
