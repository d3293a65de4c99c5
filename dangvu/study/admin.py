from django.contrib import admin

from dangvu.lib.admin import ReadOnlyAdmin
from dangvu.study.models import Campaign, Essay, IntegrityScan, StudySession


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "start", "end", "essay_deadline"]
    raw_id_fields = ["unit", "units", "documents"]


admin.site.register([StudySession, IntegrityScan], ReadOnlyAdmin)


@admin.register(Essay)
class EssayAdmin(ReadOnlyAdmin):
    list_display = ["member", "campaign", "status", "return_reason"]
    raw_id_fields = ["member", "campaign", "reviewed_by"]
    list_filter = ["status", "return_reason"]
