from django.contrib import admin

from dangvu.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """For superusers: what runs, what failed and why."""

    list_display = ["id", "kind", "subject_id", "status", "attempts", "stage", "done", "total", "heartbeat", "created"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]
    search_fields = ["kind", "error"]

    def has_add_permission(self, request):
        return False
