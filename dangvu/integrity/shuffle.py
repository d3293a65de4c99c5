"""A shuffle in stages on a Dask cluster: no task reads more than `branch` pieces.
(Where the inputs or the outputs are few, the direct exchange makes fewer tasks and is kept.)

Cutting each of P inputs into K parts, and having each part read its piece of every input,
makes P × K pieces; when both grow with the corpus the graph grows with its square (a million
essays: 263 × 512 = 134,656 pieces a shuffle). As in dask.dataframe's "tasks" shuffle, the
inputs and outputs here are lanes numbered in base k, k^s ≥ max(P, K) and k ≤ branch; stage t
regroups each lane with the k lanes that differ from it in digit t only, by digit t of each
row's destination. After s stages every row is in its destination's lane: at most k^s · k · s
pieces in all, O(N log N), and a lane holds about an input's or an output's worth of rows at
every stage, so a task's memory stays bounded as the inputs' and outputs' sizes are.

The rows of a piece are a tuple of equal-length numpy columns; `route(columns, *args)` gives
each row's destination. Cuts are stable and pieces are joined in their lanes' order, so an
output receives its rows in the order of the inputs, exactly as if it had read every input's
piece in turn.
"""

import uuid
from collections.abc import Callable, Iterator

import numpy as np

BRANCH = 32  # dask.dataframe's max_branch for its tasks shuffle


def stages(lanes: int, branch: int) -> tuple[int, int]:
    """(s, k): the fewest stages s, and the smallest base k ≤ branch with k^s ≥ lanes."""
    if lanes <= 1:
        return 0, 1
    branch = max(branch, 2)
    s = 1
    while branch**s < lanes:
        s += 1
    k = max(round(lanes ** (1 / s)), 2)
    while k**s < lanes:
        k += 1
    while k > 2 and (k - 1) ** s >= lanes:
        k -= 1
    return s, k


def exchanges(inputs: int, outputs: int, s: int, k: int) -> Iterator[tuple[int, int, list[tuple[int, int]]]]:
    """The exchange in s stages of base k: (stage, lane, [(c, target lane), ...]) for every
    regroup, lanes in ascending order within a stage. A lane is kept only if some input agrees
    with it above digit t (inputs ≥ P are empty) and some output agrees with it up to digit t."""
    lanes = range(inputs)
    for t in range(s):
        step, span = k**t, k ** (t + 1)
        after = set()
        for lane in lanes:
            base = lane - (lane // step % k) * step
            targets = [(c, base + c * step) for c in range(k)]
            targets = [(c, x) for c, x in targets if x // span * span < inputs and x % span < outputs]
            after.update(x for _c, x in targets)
            yield t, lane, targets
        lanes = sorted(after)


def tasks(inputs: int, outputs: int, s: int, k: int) -> int:
    """Regroups and pieces that the exchange submits."""
    return sum(1 + len(targets) for _t, _lane, targets in exchanges(inputs, outputs, s, k))


def layout(inputs: int, outputs: int, branch: int) -> tuple[int, int]:
    """(s, k) for a shuffle: stages of base at most `branch`, or a single exchange (each output
    reading a piece of every input) where that makes fewer tasks, as when P or K is small."""
    lanes = max(inputs, outputs)
    staged = stages(lanes, branch)
    if staged[0] <= 1:
        return staged
    direct = (1, lanes)
    return staged if tasks(inputs, outputs, *staged) < tasks(inputs, outputs, *direct) else direct


def _joined(pieces: list[tuple]) -> tuple:
    if len(pieces) == 1:
        return pieces[0]
    return tuple(np.concatenate(column) for column in zip(*pieces, strict=True))


def _regroup(pieces: list[tuple], step: int, k: int, route: Callable, *args) -> list[tuple]:
    """A lane's rows, joined and cut into k pieces by the digit of their destination at `step`."""
    columns = _joined(pieces)
    del pieces
    digit = (route(columns, *args) // step) % k
    digit = digit.astype(np.uint8 if k <= 256 else np.uint16 if k <= 65536 else np.int64)  # radix-sorted
    order = np.argsort(digit, kind="stable")
    bounds = np.searchsorted(digit[order], np.arange(k + 1))
    del digit
    cut = [[] for _ in range(k)]
    for column in columns:
        ordered = column[order]
        # copies, not views: a view would keep the whole array alive while Dask counts (and
        # spills) only the view
        for c, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
            cut[c].append(ordered[a:b].copy())
        del ordered
    return [tuple(piece) for piece in cut]


def _piece(cut: list[tuple], c: int) -> tuple:
    return cut[c]


def shuffle(client, sources: list, outputs: int, route: Callable, args: tuple = (), branch: int = BRANCH,
            name: str = "shuffle") -> list[list]:
    """For each of `outputs` destinations, the futures of the pieces that together hold its rows,
    in the order of `sources` (futures of row tuples). Tasks are named `{name}-regroup` and
    `{name}-piece`, so the dashboard and the scheduler's prefixes show each shuffle."""
    s, k = layout(len(sources), outputs, branch)
    token = uuid.uuid4().hex
    lanes = {i: [future] for i, future in enumerate(sources)}
    after: dict[int, list] = {}
    stage = 0
    for t, lane, targets in exchanges(len(sources), outputs, s, k):
        if t != stage:  # the previous stage's lanes are complete
            lanes, after, stage = after, {}, t
        cut = client.submit(_regroup, lanes.pop(lane), k**t, k, route, *args, key=f"{name}-regroup-{t}-{lane}-{token}")
        for c, target in targets:
            after.setdefault(target, []).append(client.submit(_piece, cut, c, key=f"{name}-piece-{t}-{lane}-{c}-{token}"))
    if s:
        lanes = after
    return [lanes.get(j, []) for j in range(outputs)]
