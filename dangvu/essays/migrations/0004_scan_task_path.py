"""Copy checks queued before essays was split out of study name their task
dangvu.study.tasks.run_scan, a name kept alive by a shim until now: the rows of the task queue
still waiting or running take the task's own name, dangvu.essays.tasks.run_scan, so that the
worker runs them (the shim is gone). Finished rows keep the name they ran under."""

from django.db import migrations

OLD, NEW = "dangvu.study.tasks.run_scan", "dangvu.essays.tasks.run_scan"
WAITING = ["READY", "RUNNING"]  # django.tasks.TaskResultStatus


def rename(old: str, new: str):
    def run(apps, schema_editor):
        DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
        (DBTaskResult.objects.using(schema_editor.connection.alias)
         .filter(task_path=old, status__in=WAITING).update(task_path=new))
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("essays", "0003_default_table_names"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(rename(OLD, NEW), migrations.RunPython.noop, elidable=True),
    ]
