"""A copy check queued before essays was split out of study names its task by study's old path;
migration 0004 renames it, so the worker runs it to the end without the old module."""

import random

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from conftest import run_worker
from dangvu.essays import services as essay_services
from dangvu.essays.models import IntegrityScan
from dangvu.essays.tasks import run_scan
from dangvu.integrity.synthetic import essay as synthetic_essay

from .conftest import TODAY

OLD = "dangvu.study.tasks.run_scan"
BEFORE, AFTER = ("essays", "0003_default_table_names"), ("essays", "0004_scan_task_path")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])


def _migrate_to_latest():
    """The schema the other tests expect: every later migration of the app applied again."""
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("essays")[0])


@pytest.mark.django_db(transaction=True)
def test_a_scan_queued_under_studys_task_path_runs_after_the_migration(org, campaign):
    essay_services.essay_submit(actor=None, campaign=campaign, member=org.mem_member,
                                text=synthetic_essay(random.Random(5), 300), today=TODAY)
    scan = IntegrityScan.objects.create(campaign=campaign)
    _migrate(BEFORE)
    try:
        queued = run_scan.enqueue(scan.pk)  # as queued before the split, under study's name
        DBTaskResult.objects.filter(pk=queued.id).update(task_path=OLD)
        finished = DBTaskResult.objects.create(task_path=OLD, status=TaskResultStatus.SUCCESSFUL,
                                               args_kwargs={"args": [scan.pk], "kwargs": {}},
                                               backend_name="default", run_after=queued.enqueued_at)
    finally:
        _migrate(AFTER)
        _migrate_to_latest()
    assert DBTaskResult.objects.get(pk=queued.id).task_path == "dangvu.essays.tasks.run_scan"
    assert DBTaskResult.objects.get(pk=finished.pk).task_path == OLD  # what ran keeps its name
    run_worker()
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.SUCCESSFUL
    scan.refresh_from_db()
    assert (scan.status, scan.essays) == (IntegrityScan.Status.DONE, 1)
