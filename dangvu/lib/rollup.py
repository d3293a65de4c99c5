"""The tree roll-up, written once: values counted where they happen, added up the tree.

Units are materialised paths (treebeard): a unit's ancestors are the prefixes of
its path, one step (4 characters) at a time. A value counted at a unit counts for
that unit and every ancestor down from `root`. Within `reading_placements`, the paths
given are those of the fact's day (orgs/placements.py) and the values come out under
today's paths of the units that stood above the fact then.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

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


@dataclass
class PlacedTree:
    """Placement paths (a unit's path on the day of a fact, orgs/placements.py) and today's
    path of the unit each names, for the placements under `root` (today's path)."""

    root: str
    load: Callable[[], dict[str, str]]  # read when a roll-up first needs it (kept figures never do)
    chains: dict[str, list[str]] = field(default_factory=dict)
    _current: dict[str, str] | None = None

    def chain(self, path: str) -> list[str]:
        """The units above the placement `path` then, as today's paths, from the top."""
        found = self.chains.get(path)
        if found is None:
            if self._current is None:
                self._current = self.load()
            found = self.chains[path] = [self._current.get(path[:n], path[:n])
                                         for n in range(STEP, len(path) + 1, STEP)]
        return found


_placed: ContextVar[PlacedTree | None] = ContextVar("placed_tree", default=None)


@contextmanager
def reading_placements(tree: PlacedTree):
    """Within the block, paths given to the roll-ups under `tree.root` are placement paths."""
    token = _placed.set(tree)
    try:
        yield tree
    finally:
        _placed.reset(token)


def placed_tree_for(root: str) -> PlacedTree | None:
    tree = _placed.get()
    return tree if tree is not None and tree.root == root else None


def prefixes(path: str, root: str = "") -> list[str]:
    """The unit's own path and its ancestors' paths that lie at or below `root`."""
    start = max(len(root), STEP)
    return [path[:n] for n in range(start, len(path) + 1, STEP)]


def _counted_at(path: str, root: str) -> list[str]:
    """The units a value counted at `path` counts for: its prefixes at or below `root`, down
    to the levels asked for (levels_below_root)."""
    levels = _levels.get()
    tree = placed_tree_for(root)
    if tree is not None:
        chain = tree.chain(path)
        if root not in chain:
            return []  # not under the root on the fact's day
        below = chain[chain.index(root):]
        return below if levels is None else below[:levels + 1]
    if not path.startswith(root):
        return []
    if levels is None:
        return prefixes(path, root)
    start = max(len(root), STEP)
    return [path[:n] for n in range(start, min(len(path), len(root) + levels * STEP) + 1, STEP)]


def _is_under(other: str, unit: str, root: str) -> bool:
    """Whether the unit at `other` (a path of the fact's day) was under `unit` (today's path)."""
    tree = placed_tree_for(root)
    return unit in tree.chain(other) if tree is not None else other.startswith(unit)


def rollup(counts: Iterable[tuple[str, int]], root: str) -> dict[str, int]:
    """Sum counts made at units (path, n) into every unit at or below `root` above them."""
    out: dict[str, int] = defaultdict(int)
    for path, n in counts:
        for prefix in _counted_at(path, root):
            out[prefix] += n
    return dict(out)


def rollup_crossing(moves: Iterable[tuple[str, str | None, int]], root: str) -> dict[str, int]:
    """Count moves (path, other path, n) at the units they cross: a move between two cells of
    one commune counts for both cells and for nothing above them. `other` None: outside."""
    out: dict[str, int] = defaultdict(int)
    for path, other, n in moves:
        for prefix in _counted_at(path, root):
            if other is None or not _is_under(other, prefix, root):
                out[prefix] += n
    return dict(out)


def group_prefixes(pairs: Iterable[tuple[str, object]], root: str) -> dict[object, list[str]]:
    """For each distinct thing of (path, thing), the units at or below `root` that hold it
    (its paths and their ancestors), each once: a member of two cells of one commune is
    in both cells and once in the commune. Things at one unit share that unit's list."""
    known: dict[str, list[str]] = {}  # a unit's prefixes, worked out once per unit

    def of(path: str) -> list[str]:
        found = known.get(path)
        if found is None:
            found = known[path] = _counted_at(path, root)
        return found

    first: dict[object, str] = {}  # most things are at one unit: no set for them
    more: dict[object, set] = {}
    for path, thing in pairs:
        if not of(path):
            continue
        seen = first.get(thing)
        if seen is None:
            first[thing] = path
        elif seen != path:
            more.setdefault(thing, {seen}).add(path)

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
