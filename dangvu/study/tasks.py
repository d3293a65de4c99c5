"""The copy check's task moved to dangvu/essays/tasks.py; jobs queued before the move name it
here, so the name still leads to it."""

from dangvu.essays.tasks import run_scan  # noqa: F401
