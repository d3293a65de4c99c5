"""Run the essay integrity engine over a campaign's essays.

The stored text of each essay (already Unicode) is written to a scratch folder as
`<essay id>.txt`, so the engine's offsets are offsets into Essay.text, which is what
the review page highlights. The studied documents are the exclusions.
"""

import tempfile
from pathlib import Path

from django.conf import settings

from dangvu.essays.models import Essay, EssayStatus
from dangvu.integrity.scan import Options, scan
from dangvu.study.models import Campaign

# Essays that are still in play: a passed essay stays in, so that a copy of it is found.
SCANNED = (EssayStatus.SUBMITTED, EssayStatus.RESUBMITTED, EssayStatus.PASSED)


def scan_campaign(campaign: Campaign, progress=None, threshold: float = 0.3) -> dict:
    essays = Essay.objects.filter(campaign=campaign, status__in=SCANNED).values_list("pk", "text")
    with tempfile.TemporaryDirectory(prefix="dangvu-scan-") as tmp:
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
                          workers=settings.ESSAY_SCAN_WORKERS, dask=settings.ESSAY_SCAN_DASK or None)
        result = scan(root, options, progress)

    def essay_id(path: str) -> int:
        return int(Path(path).stem)

    return {
        "essays": count,
        "pairs": [{"a": essay_id(p["a"]), "b": essay_id(p["b"]), "score": p["score"], "passages": p["passages"]}
                  for p in result["pairs"]],
        "clusters": [[essay_id(p) for p in c] for c in result["clusters"]],
        "thin": [essay_id(p) for p in result["thin"]],
    }
