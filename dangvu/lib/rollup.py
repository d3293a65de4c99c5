"""The tree roll-up, written once: values counted where they happen, added up the tree.

Units are materialised paths (treebeard): a unit's ancestors are the prefixes of
its path, one step (4 characters) at a time. A value counted at a unit counts for
that unit and every ancestor down from the root. Every helper takes the root as a path,
or as a query (lib/measures.Query, or a Scope) that also says how many levels below the
root to stop and which dated tree to read: with a tree, the paths given are those of the
fact's day (orgs/placements.py) and the values come out under today's paths of the units
that stood above the fact then.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

STEP = 4


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


class Reach(Protocol):
    """What a roll-up reaches: below `root` (today's path), `levels` deep (None: to the
    bottom; 1: the root and its children, a province's report needs its sub-units, not its
    12,000 cells), reading the paths given through `tree` (None: they are today's)."""

    @property
    def root(self) -> str: ...

    @property
    def levels(self) -> int | None: ...

    @property
    def tree(self) -> PlacedTree | None: ...


@dataclass(frozen=True)
class Scope:
    """A Reach for callers without a measure query."""

    root: str
    levels: int | None = None
    tree: PlacedTree | None = None


def _reach(root: str | Reach) -> Scope:
    if isinstance(root, str):
        return Scope(root)
    tree = root.tree
    return Scope(root.root, root.levels, tree if tree is not None and tree.root == root.root else None)


def prefixes(path: str, root: str = "") -> list[str]:
    """The unit's own path and its ancestors' paths that lie at or below `root`."""
    start = max(len(root), STEP)
    return [path[:n] for n in range(start, len(path) + 1, STEP)]


def _counted_at(path: str, reach: Scope) -> list[str]:
    """The units a value counted at `path` counts for: its prefixes at or below the root, down
    to the levels asked for."""
    root, levels, tree = reach.root, reach.levels, reach.tree
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


def _is_under(other: str, unit: str, reach: Scope) -> bool:
    """Whether the unit at `other` (a path of the fact's day) was under `unit` (today's path)."""
    return unit in reach.tree.chain(other) if reach.tree is not None else other.startswith(unit)


def rollup(counts: Iterable[tuple[str, int]], root: str | Reach) -> dict[str, int]:
    """Sum counts made at units (path, n) into every unit at or below the root above them."""
    reach = _reach(root)
    out: dict[str, int] = defaultdict(int)
    for path, n in counts:
        for prefix in _counted_at(path, reach):
            out[prefix] += n
    return dict(out)


def rollup_crossing(moves: Iterable[tuple[str, str | None, int]], root: str | Reach) -> dict[str, int]:
    """Count moves (path, other path, n) at the units they cross: a move between two cells of
    one commune counts for both cells and for nothing above them. `other` None: outside."""
    reach = _reach(root)
    out: dict[str, int] = defaultdict(int)
    for path, other, n in moves:
        for prefix in _counted_at(path, reach):
            if other is None or not _is_under(other, prefix, reach):
                out[prefix] += n
    return dict(out)


def _units_counting(reach: Reach) -> Callable[[str], list[str]]:
    """path -> the units at or below the root that count what stands at that unit (its path and
    its ancestors'), worked out once a path. Paths with the same such units share one list: the
    42,000 cells of a national tally counted only at the top levels are its few provinces."""
    known: dict[str, list[str]] = {}
    shared: dict[tuple, list[str]] = {}

    def of(path: str) -> list[str]:
        found = known.get(path)
        if found is None:
            units = _counted_at(path, reach)
            found = known[path] = shared.setdefault(tuple(units), units)
        return found

    return of


def group_prefixes(pairs: Iterable[tuple[str, object]], root: str | Reach) -> dict[object, list[str]]:
    """For each distinct thing of (path, thing), the units at or below the root that hold it
    (its paths and their ancestors), each once: a member of two cells of one commune is
    in both cells and once in the commune. Things at one unit share that unit's list."""
    of = _units_counting(_reach(root))
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


def group_tallied(rows: Iterable[tuple[str, object, object, int]], root: str | Reach) -> list[tuple[list, object, int]]:
    """Rows the database tallied, as (units with their ancestors, facts, how many) for
    count_weighted: (path, None, facts, n) stands for n things with these facts at that one unit;
    (path, thing, facts, 1), one row a unit, for a thing at several units (a member moved between
    two cells: in both, once in the commune)."""
    reach = _reach(root)
    of = _units_counting(reach)
    counted: Counter = Counter()
    lists: dict[int, list[str]] = {}
    spread: list[tuple[str, object]] = []
    facts_of: dict[object, object] = {}
    for path, thing, facts, n in rows:
        if thing is None:
            units = of(path)
            if units:
                lists[id(units)] = units
                counted[(id(units), facts)] += n
        else:
            spread.append((path, thing))
            facts_of[thing] = facts
    out = [(lists[key], facts, n) for (key, facts), n in counted.items()]
    out += [(units, facts_of[thing], 1) for thing, units in group_prefixes(spread, reach).items()]
    return out


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


def rollup_distinct(pairs: Iterable[tuple[str, object]], root: str | Reach) -> dict[str, int]:
    """How many distinct things (path, thing) each unit holds, its subtree included."""
    return count_prefixes(group_prefixes(pairs, root).values())
