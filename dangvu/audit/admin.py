from django.contrib import admin

from dangvu.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
