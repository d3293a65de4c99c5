"""Ids a client submitted, resolved through the user's scope.

An id that is not a number, is out of range, does not exist or lies outside the
scope gets the same refusal, naming only the id the client sent: a message
never tells whether someone else's record exists, nor whose it is.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ID = 2**53  # ids are BigAutoFields; anything larger never existed


def parse_ids(values: Iterable, field: str) -> list[int]:
    ids, bad = [], []
    for value in values:
        try:
            number = int(str(value).strip())
        except ValueError:
            bad.append(str(value)[:20])
            continue
        if 1 <= number <= MAX_ID:
            ids.append(number)
        else:
            bad.append(str(value)[:20])
    if bad:
        raise ValidationError({field: _("Not found: %(ids)s.") % {"ids": ", ".join(bad)}})
    return list(dict.fromkeys(ids))


def resolve_ids(queryset, values: Iterable, field: str) -> list:
    """The objects of `queryset` (already clipped to the user's scope) with these ids, in
    the order given; a ValidationError on `field` naming the ids not found there."""
    ids = parse_ids(values, field)
    found = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError({field: _("Not found: %(ids)s.") % {"ids": ", ".join(missing)}})
    return [found[i] for i in ids]
