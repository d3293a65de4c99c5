from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dangvu.documents.models import Document
from dangvu.lib.admin import ReadOnlyAdmin


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["shown_reference", "summary", "issued_on", "direction", "unit"]
    list_filter = ["direction", "doc_type"]
    raw_id_fields = ["unit", "term", "created_by"]
    readonly_fields = ["number", "term"]  # numbers come from the allocation service, never typed

    @admin.display(description=_("number and symbol"))
    def shown_reference(self, doc: Document) -> str:
        return doc.reference
