"""The `dangvu` console script: manage.py that works from any directory.

`dangvu scan_essays …` goes straight to the essay engine's own command line,
without setting Django up: the engine does not need it, and a scan on a Dask
worker or a bare machine should not pay for it."""

import os
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "scan_essays":
        from dangvu.integrity.cli import main as scan_essays

        sys.exit(scan_essays(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
