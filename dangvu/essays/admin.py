from django.contrib import admin

from dangvu.essays.models import Essay, IntegrityScan
from dangvu.lib.admin import ReadOnlyAdmin

admin.site.register(IntegrityScan, ReadOnlyAdmin)


@admin.register(Essay)
class EssayAdmin(ReadOnlyAdmin):
    list_display = ["member", "campaign", "status", "return_reason"]
    raw_id_fields = ["member", "campaign", "reviewed_by"]
    list_filter = ["status", "return_reason"]
