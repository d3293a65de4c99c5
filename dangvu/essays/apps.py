from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EssaysConfig(AppConfig):
    name = "dangvu.essays"
    verbose_name = _("Essays and the copy check")

    def ready(self):
        from dangvu.essays import measures, tasks  # noqa: F401  (register the app's figures and jobs)
        from dangvu.essays.reminders import due_reminders
        from dangvu.essays.selectors import COLUMNS
        from dangvu.lib.reminders import register
        from dangvu.study.selectors import use_essay_columns

        register("essays", due_reminders)
        use_essay_columns(COLUMNS)  # a campaign's figures and its pages show its essays
