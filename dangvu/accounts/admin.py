from django.contrib import admin

from dangvu.accounts.models import Team
from dangvu.lib.admin import ReadOnlyAdmin


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit"]
    raw_id_fields = ["unit"]
    filter_horizontal = ["users"]
