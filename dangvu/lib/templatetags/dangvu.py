"""Vietnamese figures in templates: {{ n|intdot }} → 9.000, {{ ratio|percent }} → 71,33%."""

from django import template

from dangvu.lib.numbers import fmt_int, fmt_ratio

register = template.Library()


@register.filter
def intdot(value):
    return fmt_int(value)


@register.filter
def percent(ratio):
    return fmt_ratio(ratio)
