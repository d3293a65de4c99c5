"""Vietnamese number formatting: 1.257.021 and 71,33%."""


def fmt_int(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value:,}".replace(",", ".")


def fmt_pct(part: int, whole: int, digits: int = 2) -> str:
    if not whole:
        return "–"
    return f"{100 * part / whole:.{digits}f}".replace(".", ",") + "%"


def fmt_ratio(ratio: float | None, digits: int = 2) -> str:
    """0.7133 → 71,33%; None (nothing to divide by) → –."""
    if ratio is None:
        return "–"
    return f"{100 * ratio:.{digits}f}".replace(".", ",") + "%"
