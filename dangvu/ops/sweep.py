"""The leftovers of killed requests, swept from every place uploads are stored."""

from dangvu.documents.services import document_files_sweep
from dangvu.essays.services import essay_files_sweep


def sweep_files() -> list[str]:
    return [*document_files_sweep(), *essay_files_sweep()]
