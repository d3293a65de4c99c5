"""The training API: classes the user may read."""

import datetime

from django.db.models import Q
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from dangvu.lib.api import Id, Paginated
from dangvu.lib.keys import STUDY_READ
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.scope import scope_for
from dangvu.training.models import TrainingClass

router = Router(tags=["training"])


class ClassOut(Schema):
    id: int
    name: str
    programme: str = Field(..., alias="programme.name")
    unit_id: Id
    start: datetime.date
    end: datetime.date
    enrolled: int
    completed: int




@router.get("/classes", response=list[ClassOut])
@paginate(Paginated)
def list_classes(request, unit: Id | None = None):
    from django.db.models import Count

    classes = TrainingClass.objects.filter(scope_for(request).path_q(STUDY_READ, "unit__path"))
    if unit is not None:
        classes = classes.filter(unit__path__startswith=get_unit_for_user(request, unit, STUDY_READ).path)
    return (classes.select_related("programme")
            .annotate(enrolled=Count("enrolments"),
                      completed=Count("enrolments", filter=Q(enrolments__result="completed")))
            .order_by("-start", "-id"))
