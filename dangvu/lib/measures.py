"""The measure layer: the one way a figure is computed.

A measure has a stable key, a Vietnamese label and a one-sentence definition, its
counting unit and the area it belongs to. For a unit and a period it computes the
value for that unit and every unit of its subtree in a fixed number of queries,
and it gives the rows behind a value. Apps register their measures in their
`measures.py` (imported by AppConfig.ready); the dashboard, the API, targets and
the report read them from here only, so a measure added later appears everywhere.
"""

import functools
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from dangvu.lib.periods import Period


@dataclass(frozen=True)
class Value:
    value: float | int
    numerator: int | None = None
    denominator: int | None = None

    @classmethod
    def rate(cls, numerator: int, denominator: int) -> "Value":
        return cls(round(100 * numerator / denominator, 2) if denominator else 0, numerator, denominator)


@dataclass(frozen=True)
class Column:
    name: str  # stable, for the API
    header: str  # Vietnamese, for the page and the .xlsx (lazy)
    get: Callable

    def shown(self, row):
        """The value as a page shows it: an id as its digits (1536), never as a quantity (1.536)."""
        value = self.get(row)
        return str(value) if self.name.endswith("_id") and isinstance(value, int) else value


@dataclass
class Measure:
    key: str
    label: str  # lazy gettext
    definition: str  # one sentence: what is counted, as of when
    unit: str  # người, lượt, bài, lớp, cuộc, văn bản, %
    area: str  # the group it shows in
    permission: str  # the key a user needs over the unit to read it and its rows
    compute: Callable[..., dict[str, Value]]  # (root unit, period) → {path: Value} for root and units below
    rows: Callable  # (unit, period) → a queryset of the rows behind the unit's value
    columns: list[Column] = field(default_factory=list)
    row_id: Callable = lambda row: row.pk  # the id a row is known by in the API (a member's, not a stretch's)
    rate: bool = False
    numerator: str = ""  # for rates: what the numerator and the denominator count
    denominator: str = ""


_REGISTRY: dict[str, Measure] = {}
AREAS: dict[str, str] = {}  # area key → label, in the order areas were registered


# The dated tree the roll-ups read (orgs/placements.placed_tree, set by the orgs app: lib
# imports no app): a context manager taking the root unit.
_tree_context: Callable | None = None


def use_tree(context: Callable) -> None:
    global _tree_context
    _tree_context = context


@contextmanager
def dated_tree(unit):
    if _tree_context is None:
        yield None
        return
    with _tree_context(unit) as tree:
        yield tree


def _dated(compute: Callable) -> Callable:
    """A measure's compute always rolls up the tree as it stood on each fact's day."""
    @functools.wraps(compute)
    def run(unit, period):
        with dated_tree(unit):
            return compute(unit, period)
    return run


def register(measure: Measure) -> Measure:
    if measure.key in _REGISTRY:
        raise ValueError(f"measure {measure.key} registered twice")
    measure.compute = _dated(measure.compute)
    _REGISTRY[measure.key] = measure
    return measure


def register_area(key: str, label) -> None:
    AREAS.setdefault(key, label)


def get(key: str) -> Measure | None:
    return _REGISTRY.get(key)


def all_measures() -> list[Measure]:
    return list(_REGISTRY.values())


_memo: ContextVar[dict | None] = ContextVar("measure_memo", default=None)


def memoised(key, compute: Callable):
    """Work several measures share (who took part in which campaign, where) done once per
    compute_all, never kept past it: figures always read the database as it is."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


_narrowing: list[ContextVar] = []


def register_narrowing(variable: ContextVar) -> None:
    """A context variable that changes what measures count (one campaign only…): its value is
    part of what a kept figure is kept under."""
    _narrowing.append(variable)


@dataclass
class Ask:
    """A figure to give for a unit and period: its name, what else it depends on, how to
    count it and how to keep it as JSON (and, for the worker, how to count it again)."""
    name: str
    parts: tuple
    compute: Callable
    encode: Callable = lambda values: values
    decode: Callable = lambda stored: stored
    recipe: dict | None = None


# The figure store (figures/store.kept, set by the figures app: lib imports no app):
# (unit, period, [Ask]) → ([values], stamp). Without it every figure is counted.
_store: Callable | None = None


def use_store(store: Callable | None) -> None:
    global _store
    _store = store


def keep(unit, period: Period, asks: list[Ask]) -> tuple[list, object]:
    """Each ask's values, from the figure store or counted; and when they were counted."""
    if _store is None:
        return [ask.compute() for ask in asks], None
    return _store(unit, period, asks)


class Figures(dict):
    """{measure key: {path: Value}}, and `stamp`: when they were counted (figures/store.Stamp)."""
    stamp = None


def _encode(values: dict[str, Value]) -> dict:
    return {path: [v.value, v.numerator, v.denominator] for path, v in values.items()}


def _decode(stored: dict) -> dict[str, Value]:
    return {path: Value(*v) for path, v in stored.items()}


def compute_all(unit, period: Period, measures: list[Measure] | None = None,
                levels: int | None = None) -> Figures:
    """{key: {path: Value}} for the unit and every unit below it; with `levels`, for the unit
    and the units down to that many levels below it (values further down may be missing).
    Each measure's values are kept per unit and period (figures/store.py)."""
    from dangvu.lib.rollup import levels_below_root

    chosen = measures or all_measures()
    narrowing = [v.get() for v in _narrowing]
    asks = [Ask(m.key, (unit.pk, period.start, period.end, levels, *narrowing),
                functools.partial(m.compute, unit, period), _encode, _decode,
                {"measure": m.key, "levels": levels, "narrowing": narrowing}) for m in chosen]
    token = _memo.set({})
    try:
        with levels_below_root(levels), dated_tree(unit):
            values, stamp = keep(unit, period, asks)
    finally:
        _memo.reset(token)
    out = Figures(zip([m.key for m in chosen], values, strict=True))
    out.stamp = stamp
    return out


@contextmanager
def narrowed(values: list):
    """The narrowing a kept figure was counted under (its recipe), set again to count it again."""
    tokens = [variable.set(value) for variable, value in zip(_narrowing, values, strict=False)]
    try:
        yield
    finally:
        for variable, token in zip(_narrowing, tokens, strict=False):
            variable.reset(token)


def value_at(values: dict[str, Value], path: str, measure: Measure) -> Value:
    """A unit with nothing counted has zero (a rate: zero of zero)."""
    return values.get(path) or (Value(0, 0, 0) if measure.rate else Value(0))
