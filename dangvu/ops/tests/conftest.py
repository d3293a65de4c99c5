"""The study fixtures (a studied document, a campaign of the commune) for the housekeeping test."""

from dangvu.study.tests.conftest import campaign, studied_document  # noqa: F401
