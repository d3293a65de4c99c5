"""The standard programmes' lessons were created as "Chuyên đề 1" … "Chuyên đề 10" (issue 23): give
those still numbered their real titles. A title a committee changed by hand is left alone."""

from django.db import migrations

from dangvu.training.programmes import LESSON_TITLES


def name_the_lessons(apps, schema_editor):
    Programme, Topic = apps.get_model("training", "Programme"), apps.get_model("training", "Topic")
    for (kind, name), titles in LESSON_TITLES.items():
        for programme in Programme.objects.filter(kind=kind, name=name):
            for order, title in enumerate(titles, start=1):
                # as created, in Vietnamese or (a site run in English) in English
                Topic.objects.filter(programme=programme, order=order,
                                     title__in=[f"Chuyên đề {order}", f"Topic {order}"]).update(title=title)


class Migration(migrations.Migration):

    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(name_the_lessons, migrations.RunPython.noop)]
