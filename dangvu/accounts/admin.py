from django.contrib import admin

from dangvu.accounts.models import Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]
    raw_id_fields = ["unit"]
    filter_horizontal = ["users"]
