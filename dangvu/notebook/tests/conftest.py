"""The study fixtures (a studied document, a campaign of the commune) serve the notebook's tests too."""

from dangvu.study.tests.conftest import campaign, studied_document  # noqa: F401
