from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dangvu.meetings"
    verbose_name = _("Cell meetings")

    def ready(self) -> None:
        from dangvu.lib.reminders import register
        from dangvu.meetings import measures  # noqa: F401  (registers the measures)
        from dangvu.meetings.reminders import meeting_reminders

        register("meetings", meeting_reminders)
