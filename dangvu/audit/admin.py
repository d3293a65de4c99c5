from django.contrib import admin

from dangvu.audit.models import AuditEntry, RecordRead
from dangvu.lib.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(RecordRead)
class RecordReadAdmin(ReadOnlyAdmin):
    list_display = ["at", "reader", "member", "via", "unit_path"]
    list_filter = ["via"]
    readonly_fields = [f.name for f in RecordRead._meta.fields]
