from django.contrib import admin

from dangvu.lib.admin import ReadOnlyAdmin, ReadOnlyInline
from dangvu.study.models import (
    Campaign,
    Enrolment,
    Essay,
    IntegrityScan,
    Programme,
    StudySession,
    TheoryLevel,
    Topic,
    TrainingClass,
)


class TopicInline(ReadOnlyInline):
    model = Topic


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind"]
    inlines = [TopicInline]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "start", "end", "essay_deadline"]
    raw_id_fields = ["unit", "units", "documents"]


@admin.register(TheoryLevel)
class TheoryLevelAdmin(ReadOnlyAdmin):
    list_display = ["member", "level", "status", "certificate_number"]
    raw_id_fields = ["member"]
    list_filter = ["level", "status"]


admin.site.register([StudySession, IntegrityScan, TrainingClass], ReadOnlyAdmin)


@admin.register(Essay)
class EssayAdmin(ReadOnlyAdmin):
    list_display = ["member", "campaign", "status", "return_reason"]
    raw_id_fields = ["member", "campaign", "reviewed_by"]
    list_filter = ["status", "return_reason"]


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    raw_id_fields = ["member", "candidate", "training_class"]
