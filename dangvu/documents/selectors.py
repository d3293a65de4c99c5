"""Reads of the document register."""

from django.db.models import QuerySet

from dangvu.lib.vntext import fold


def document_search(qs: QuerySet, query: str = "") -> QuerySet:
    """Accent-insensitive, each word matching a word start of the summary or the reference."""
    for word in fold(query).split():
        qs = qs.filter(summary_key__contains=" " + word)
    return qs
