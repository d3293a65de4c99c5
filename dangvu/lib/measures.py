"""The measure layer: the one way a figure is computed.

A measure has a stable key, a Vietnamese label and a one-sentence definition, its
counting unit and the area it belongs to. For a unit and a period it computes the
value for that unit and every unit of its subtree in a fixed number of queries,
and it gives the rows behind a value. Apps register their measures in their
`measures.py` (imported by AppConfig.ready); the dashboard, the API, targets and
the report read them from here only, so a measure added later appears everywhere.

What a figure is asked for is one explicit, frozen Query (the unit, the period, how many
levels below it, one campaign only…): every measure's compute takes it, and a kept figure
is kept under its key and counted again from its recipe (figures/store.py, recount.py).
"""

import dataclasses
import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from dangvu.lib.periods import Period
from dangvu.lib.rollup import PlacedTree


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


@dataclass(frozen=True)
class Query:
    """What figures are asked for: for `unit` (the root OrgUnit) and every unit below it, over
    `period`; with `levels`, down to that many levels below the unit only (values further down
    may be missing); with `campaign`, the study measures of that campaign only (its page).
    `tree` is the dated tree the roll-ups read (lib/rollup.py), filled in before a measure
    computes; it is a cache, not part of what is asked."""

    unit: Any
    period: Period
    levels: int | None = None
    campaign: int | None = None
    tree: PlacedTree | None = field(default=None, compare=False, repr=False)

    @property
    def root(self) -> str:
        """Today's path of the unit: what the roll-ups count below (lib/rollup.Reach)."""
        return self.unit.path

    def key(self) -> tuple:
        """What a kept figure is kept under, with its name (figures/store.py)."""
        return (self.unit.pk, self.period.start, self.period.end, self.levels, self.campaign)

    def recipe(self, measure: str) -> dict:
        """How the worker counts a kept figure again, as JSON (its unit and period are the row's)."""
        return {"measure": measure, "levels": self.levels, "campaign": self.campaign}

    @classmethod
    def from_recipe(cls, unit, period: Period, recipe: dict) -> "Query":
        """The query a kept figure was counted for, from its row's unit and period and its recipe.
        A figure kept before the query object has its campaign as {"narrowing": [campaign]}."""
        campaign = recipe.get("campaign")
        if campaign is None and recipe.get("narrowing"):
            campaign = recipe["narrowing"][0]
        return cls(unit, period, recipe.get("levels"), campaign)


@dataclass
class Measure:
    key: str
    label: str  # lazy gettext
    definition: str  # one sentence: what is counted, as of when
    unit: str  # người, lượt, bài, lớp, cuộc, văn bản, %
    area: str  # the group it shows in
    permission: str  # the key a user needs over the unit to read it and its rows
    compute: Callable[[Query], dict[str, Value]]  # {path: Value} for the query's unit and the units below
    rows: Callable  # (unit, period) → a queryset of the rows behind the unit's value
    columns: list[Column] = field(default_factory=list)
    row_id: Callable = lambda row: row.pk  # the id a row is known by in the API (a member's, not a stretch's)
    rate: bool = False
    numerator: str = ""  # for rates: what the numerator and the denominator count
    denominator: str = ""
    source: str = ""  # for the figure store, the area of the changes that alter it, where not its area


_REGISTRY: dict[str, Measure] = {}
AREAS: dict[str, str] = {}  # area key → label, in the order areas were registered


# The dated tree the roll-ups read (orgs/placements.translation, set by the orgs app: lib
# imports no app): the root unit → a PlacedTree.
_tree_of: Callable | None = None


def use_tree(tree_of: Callable | None) -> None:
    global _tree_of
    _tree_of = tree_of


def dated(q: Query) -> Query:
    """The query with the dated tree its roll-ups read (one per root: measures of one ask share it)."""
    if q.tree is not None or _tree_of is None:
        return q
    return dataclasses.replace(q, tree=_tree_of(q.unit))


def _dated(compute: Callable) -> Callable:
    """A measure's compute always rolls up the tree as it stood on each fact's day."""
    @functools.wraps(compute)
    def run(q: Query):
        return compute(dated(q))
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


def readable(scope, path: str) -> list[Measure]:
    """The measures whose figures `scope` (orgs/scope.UserScope) may read at the unit of `path`."""
    return [m for m in all_measures() if scope.can(m.permission, path)]


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


@dataclass
class Ask:
    """A figure to give for a unit and period: its name, what else it depends on, how to
    count it and how to keep it as JSON (and, for the worker, how to count it again)."""
    name: str
    parts: tuple  # for a measure: its Query's key()
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
                levels: int | None = None, campaign: int | None = None) -> Figures:
    """{key: {path: Value}} for the unit and every unit below it; with `levels`, down to that many
    levels below it only; with `campaign`, the study measures of that campaign only (Query)."""
    return figures_for(Query(unit, period, levels, campaign), measures)


def figures_for(q: Query, measures: list[Measure] | None = None) -> Figures:
    """{key: {path: Value}} of the measures (every one when None) for the query. Each measure's
    values are kept under the query's key (figures/store.py)."""
    chosen = measures or all_measures()
    q = dated(q)
    asks = [Ask(m.key, q.key(), functools.partial(m.compute, q), _encode, _decode, q.recipe(m.key))
            for m in chosen]
    token = _memo.set({})
    try:
        values, stamp = keep(q.unit, q.period, asks)
    finally:
        _memo.reset(token)
    out = Figures(zip([m.key for m in chosen], values, strict=True))
    out.stamp = stamp
    return out


def value_at(values: dict[str, Value], path: str, measure: Measure) -> Value:
    """A unit with nothing counted has zero (a rate: zero of zero)."""
    return values.get(path) or (Value(0, 0, 0) if measure.rate else Value(0))
