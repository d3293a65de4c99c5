from django.contrib import admin

from dangvu.lib.admin import ReadOnlyAdmin
from dangvu.study.models import Campaign, StudySession


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "start", "end", "essay_deadline"]
    raw_id_fields = ["unit", "units", "documents"]


admin.site.register(StudySession, ReadOnlyAdmin)
