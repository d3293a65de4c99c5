"""Vietnamese figures in templates: {{ n|intdot }} → 9.000, {{ ratio|percent }} → 71,33%."""

import uuid

from django import template
from django.utils.html import format_html

from dangvu.lib.numbers import fmt_int, fmt_ratio

register = template.Library()


@register.filter
def intdot(value):
    return fmt_int(value)


@register.filter
def percent(ratio):
    return fmt_ratio(ratio)


@register.simple_tag
def once_token():
    """The hidden token that makes a create form safe to submit twice (see dangvu.lib.once)."""
    return format_html('<input type="hidden" name="once" value="{}">', uuid.uuid4().hex)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when absent)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
