from django.contrib import admin

from dangvu.lib.admin import ReadOnlyAdmin
from dangvu.targets.models import Target

admin.site.register(Target, ReadOnlyAdmin, list_display=["title", "unit", "measure", "start", "end"],
                    raw_id_fields=["unit", "plan", "created_by"])
