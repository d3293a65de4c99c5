"""`manage.py scan_essays DIR`: the essay engine's command line (dangvu/integrity/cli.py)
as a Django command. The `dangvu` console script runs the same code without Django."""

from django.core.management.base import BaseCommand, CommandError

from dangvu.integrity import cli


class Command(BaseCommand):
    help = "Find copied and thin reflection essays (.txt, .docx, .pdf) under DIR."

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, **options):
        options["verbosity"] = int(options["verbosity"])
        try:
            cli.run(_Arguments(options), self.stdout, self.stderr)
        except cli.UsageError as exc:
            raise CommandError(str(exc)) from exc


class _Arguments:
    def __init__(self, options: dict):
        self.__dict__.update(options)
