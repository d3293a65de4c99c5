"""The study fixtures (a studied document, a campaign of the commune) serve the essay tests too."""

from dangvu.study.tests.conftest import DAY, TODAY, campaign, studied_document  # noqa: F401
