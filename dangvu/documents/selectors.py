"""Reads of the document register."""

from django.db.models import QuerySet

from dangvu.orgs.selectors import word_start_filter


def document_search(qs: QuerySet, query: str = "") -> QuerySet:
    """Accent-insensitive, each word matching a word start of the summary or the reference."""
    return word_start_filter(qs, "summary_key", query)
