from django.contrib import admin

from dangvu.documents.models import Document
from dangvu.lib.admin import ReadOnlyAdmin


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "summary", "issued_on", "direction", "unit"]
    list_filter = ["direction", "doc_type"]
    raw_id_fields = ["unit", "term", "created_by"]
    readonly_fields = ["number", "term"]  # numbers come from the allocation service, never typed
