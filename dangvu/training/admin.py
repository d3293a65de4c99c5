from django.contrib import admin

from dangvu.lib.admin import ReadOnlyAdmin, ReadOnlyInline
from dangvu.training.models import Enrolment, Programme, TheoryLevel, Topic, TrainingClass


class TopicInline(ReadOnlyInline):
    model = Topic


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind"]
    inlines = [TopicInline]


@admin.register(TheoryLevel)
class TheoryLevelAdmin(ReadOnlyAdmin):
    list_display = ["member", "level", "status", "certificate_number"]
    raw_id_fields = ["member"]
    list_filter = ["level", "status"]


admin.site.register(TrainingClass, ReadOnlyAdmin)


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    raw_id_fields = ["member", "candidate", "training_class"]
