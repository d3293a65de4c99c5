from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "dangvu.evaluation"
    verbose_name = _("Evaluation and rating")

    def ready(self) -> None:
        from dangvu.evaluation import measures, signals, tasks  # noqa: F401  (measures, jobs, following members)
        from dangvu.evaluation.reminders import evaluation_reminders
        from dangvu.lib.reminders import register

        register("evaluation", evaluation_reminders)
