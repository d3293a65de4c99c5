from django.contrib import admin

from dangvu.audit.models import AuditEntry
from dangvu.lib.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
