"""Background work for evaluation, run by the job runner (dangvu/jobs): listing the subjects of
a large round ("evaluation.subjects"). Thin: a round id in, the service called."""

from dangvu.evaluation.models import Round
from dangvu.jobs import runner

SUBJECTS = "evaluation.subjects"


def list_subjects(job, progress) -> None:
    from dangvu.evaluation.services import round_list_subjects

    rnd = Round.objects.select_related("unit").filter(pk=job.subject_id, status=Round.Status.PREPARING).first()
    if rnd is not None:  # listed meanwhile, or no longer there
        round_list_subjects(rnd, progress)


# A run again after a lost worker adds only the subjects still missing.
runner.register(SUBJECTS, list_subjects, retry=True)


DECIDE = "evaluation.decide"


def decide(job, progress) -> None:
    """The proposals a committee chose to decide in bulk (marked decide_queued), each refusal
    kept on its rating for the table to show."""
    from django.db import transaction

    from dangvu.evaluation.models import Rating, Stage
    from dangvu.evaluation.services import decide_all

    chosen = list(Rating.objects.filter(round_id=job.subject_id, decide_queued=True, stage=Stage.PROPOSED)
                  .select_related("subject_unit", "member"))
    _done, refused = decide_all(actor=job.started_by, ratings=chosen, progress=progress)
    with transaction.atomic():
        for rating, why in refused:
            Rating.objects.filter(pk=rating.pk).update(refused_because=why[:1000])
        Rating.objects.filter(round_id=job.subject_id, decide_queued=True).update(decide_queued=False)


# Decisions already made stay made; a run again after a lost worker decides the rest.
runner.register(DECIDE, decide, retry=True)
