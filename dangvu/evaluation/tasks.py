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
