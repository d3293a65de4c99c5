"""Run the essay integrity engine over a campaign's essays.

The stored text of each essay (already Unicode) is written to a scratch folder as
`<essay id>.txt`, so the engine's offsets are offsets into Essay.text, which is what
the review page highlights. The studied documents are the exclusions.

A central or provincial campaign is checked on the Dask cluster when one is configured
(DASK_SCHEDULER): a whole province's or the whole Party's essays; the others here, as is
every check when there is no cluster.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from dangvu.essays.models import Essay, EssayStatus
from dangvu.integrity.distributed import ClusterUnreachable as NoCluster
from dangvu.integrity.scan import Options, scan
from dangvu.orgs.models import UnitKind
from dangvu.study.models import Campaign

# Essays that are still in play: a passed essay stays in, so that a copy of it is found.
SCANNED = (EssayStatus.SUBMITTED, EssayStatus.RESUBMITTED, EssayStatus.PASSED)


class ClusterUnreachable(Exception):
    """The configured Dask cluster did not answer; the message is for the organiser."""


def cluster_for(campaign: Campaign) -> str | None:
    """The Dask scheduler this campaign's check runs on, or None to run it here."""
    unit = campaign.unit
    if settings.DASK_SCHEDULER and (unit.kind in (UnitKind.CENTRAL, UnitKind.PROVINCE) or unit.is_root()):
        return settings.DASK_SCHEDULER
    return None


def scan_campaign(campaign: Campaign, progress=None, threshold: float = 0.3) -> dict:
    """What the check found: the essays read, the pairs (an iterator of dicts, read once),
    the clusters and the thin essays, by essay id."""
    essays = Essay.objects.filter(campaign=campaign, status__in=SCANNED).values_list("pk", "text")
    cluster = cluster_for(campaign)
    scratch = settings.DASK_SCRATCH_DIR if cluster and settings.DASK_SCRATCH_DIR else None
    with tempfile.TemporaryDirectory(prefix="dangvu-scan-", dir=scratch) as tmp:
        root = Path(tmp) / "essays"
        root.mkdir()
        count = 0
        for pk, text in essays.iterator(chunk_size=2000):
            (root / f"{pk}.txt").write_text(text, encoding="utf-8")
            count += 1
        exclude = []
        for doc in campaign.documents.all():  # naming or quoting what was studied is not copying
            path = Path(tmp) / f"document-{doc.pk}.txt"
            path.write_text(f"{doc.get_doc_type_display()} số {doc.reference}\n{doc.summary}\n{doc.text}", encoding="utf-8")
            exclude.append(path)
        options = Options(threshold=threshold, min_words=campaign.min_words, exclude=exclude,
                          workers=settings.ESSAY_SCAN_WORKERS, dask=cluster,
                          dask_timeout=settings.DASK_CONNECT_TIMEOUT)
        try:
            result = scan(root, options, progress)
        except NoCluster as exc:
            raise ClusterUnreachable(_("The computer cluster for copy checks did not answer; the check was not run "
                                       "and nothing was changed. Ask the system administrator to start it, then "
                                       "start the check again.")) from exc

    def essay_id(path: str) -> int:
        return int(Path(path).stem)

    return {
        "essays": count,
        # made a pair at a time as they are written (the engine keeps them as offset arrays)
        "pairs": ({"a": essay_id(p["a"]), "b": essay_id(p["b"]), "score": p["score"], "passages": p["passages"]}
                  for p in result["pairs"]),
        "clusters": [[essay_id(p) for p in c] for c in result["clusters"]],
        "thin": [essay_id(p) for p in result["thin"]],
    }
