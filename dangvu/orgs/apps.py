from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "dangvu.orgs"
    verbose_name = _("Organisation and members")

    def ready(self):
        from dangvu.lib.measures import use_tree
        from dangvu.orgs import measures, tasks  # noqa: F401  (register the app's figures and jobs)
        from dangvu.orgs.placements import translation

        use_tree(translation)
