"""API tokens get a scope and an expiry (issue 24: they carried all of the user's rights,
forever). Tokens already in use keep doing everything their user may, for 90 more days."""

import datetime

from django.db import migrations, models
from django.utils import timezone


def ninety_days_more(apps, schema_editor):
    apps.get_model("accounts", "ApiToken").objects.update(expires=timezone.localdate() + datetime.timedelta(days=90))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_report_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken", name="scope",
            field=models.CharField(choices=[("read", "Read only"), ("all", "Everything my account may do")],
                                   default="all", max_length=8, verbose_name="scope"),
        ),
        migrations.AlterField(
            model_name="apitoken", name="scope",
            field=models.CharField(choices=[("read", "Read only"), ("all", "Everything my account may do")],
                                   default="read", max_length=8, verbose_name="scope"),
        ),
        migrations.AddField(model_name="apitoken", name="expires",
                            field=models.DateField(null=True, verbose_name="valid until")),
        migrations.RunPython(ninety_days_more, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires",
                              field=models.DateField(verbose_name="valid until")),
    ]
