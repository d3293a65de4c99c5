"""Teams that could read everything keep reading everything now that cell meetings have keys
of their own; teams that held every key keep holding every key."""

from django.db import migrations

OLD_READ = {"units:read", "members:read", "audit:read", "documents:read", "study:read", "inspections:read",
            "reports:read", "evaluation:read"}
OLD_FULL = OLD_READ | {"units:write", "members:write", "members:import", "documents:write", "study:write",
                       "essays:review", "access:manage", "targets:write", "inspections:write", "reports:write",
                       "evaluation:write", "evaluation:decide"}


def forwards(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    for team in Team.objects.all():
        keys = set(team.permissions)
        if OLD_READ <= keys:
            keys.add("meetings:read")
        if OLD_FULL <= keys:
            keys.add("meetings:write")
        if keys != set(team.permissions):
            team.permissions = sorted(keys)
            team.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_evaluation_keys")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
