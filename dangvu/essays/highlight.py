"""Cut two texts into plain and copied stretches for the side-by-side review."""

from dataclasses import dataclass


@dataclass
class Piece:
    text: str
    copied: bool


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def pieces(text: str, spans: list[tuple[int, int]]) -> list[Piece]:
    out, pos = [], 0
    for start, end in _merge(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append(Piece(text[pos:start], False))
        out.append(Piece(text[start:end], True))
        pos = end
    if pos < len(text):
        out.append(Piece(text[pos:], False))
    return out


def side_by_side(text_a: str, text_b: str, passages: list[dict]) -> tuple[list[Piece], list[Piece]]:
    return (pieces(text_a, [(p["a_start"], p["a_end"]) for p in passages]),
            pieces(text_b, [(p["b_start"], p["b_end"]) for p in passages]))
