"""The tree roll-up, written once: values counted where they happen, added up the tree.

Units are materialised paths (treebeard): a unit's ancestors are the prefixes of
its path, one step (4 characters) at a time. A value counted at a unit counts for
that unit and every ancestor down from `root`.
"""

from collections import defaultdict
from collections.abc import Iterable

STEP = 4


def prefixes(path: str, root: str = "") -> list[str]:
    """The unit's own path and its ancestors' paths that lie at or below `root`."""
    start = max(len(root), STEP)
    return [path[:n] for n in range(start, len(path) + 1, STEP)]


def rollup(counts: Iterable[tuple[str, int]], root: str) -> dict[str, int]:
    """Sum counts made at units (path, n) into every unit at or below `root` above them."""
    out: dict[str, int] = defaultdict(int)
    for path, n in counts:
        if path.startswith(root):
            for prefix in prefixes(path, root):
                out[prefix] += n
    return dict(out)


def rollup_crossing(moves: Iterable[tuple[str, str | None, int]], root: str) -> dict[str, int]:
    """Count moves (path, other path, n) at the units they cross: a move between two cells of
    one commune counts for both cells and for nothing above them. `other` None: outside."""
    out: dict[str, int] = defaultdict(int)
    for path, other, n in moves:
        if not path.startswith(root):
            continue
        for prefix in prefixes(path, root):
            if other is None or not other.startswith(prefix):
                out[prefix] += n
    return dict(out)


def rollup_distinct(pairs: Iterable[tuple[str, object]], root: str) -> dict[str, int]:
    """How many distinct things (path, thing) each unit holds, its subtree included: a member
    counted in two cells of one commune counts once for the commune."""
    seen: dict[str, set] = defaultdict(set)
    for path, thing in pairs:
        if path.startswith(root):
            for prefix in prefixes(path, root):
                seen[prefix].add(thing)
    return {path: len(things) for path, things in seen.items()}
