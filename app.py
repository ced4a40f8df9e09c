"""Start the kennisbank chat in the browser: ``python app.py`` (what ``make run`` does).

Builds the index from the corpus first if there is none. Listens on 127.0.0.1:7860
unless KENNISBANK_HOST / KENNISBANK_PORT say otherwise; KENNISBANK_AUTH=user:password
requires a login (set it before exposing the app on a network).
"""

from __future__ import annotations

import os
import sys

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before anything imports gradio

from kennisbank.config import Settings  # noqa: E402
from kennisbank.errors import (
    IndexFormatError,  # noqa: E402
    KennisbankError,  # noqa: E402
)
from kennisbank.knowledgebase import ensure_index  # noqa: E402
from kennisbank.store.manifest import read_manifest  # noqa: E402


def _progress(stage: str, done: int, total: int) -> None:
    print(f"\r  {stage}: {done}/{total}", end="\n" if done >= total else "", file=sys.stderr, flush=True)


def main() -> int:
    try:
        settings = Settings()
        from kennisbank.ui import check_port, launch
        from kennisbank.web import check_exposure

        check_exposure(settings)  # no listening beyond loopback without a login
        check_port(settings.host, settings.port)  # before a build of minutes, not after
        try:
            manifest = read_manifest(settings.index)
        except IndexFormatError as exc:
            print(f"{exc}; dat gebeurt nu ...", file=sys.stderr)
            manifest = None
        if manifest is None or not manifest.generation:
            print(f"Geen index in {settings.index}/: die wordt nu gebouwd uit {settings.corpus}/ ...", file=sys.stderr)
        report = ensure_index(settings, _progress, rebuild_old=True)
        if report is not None:
            print(f"Index gebouwd: {report.passages} passages in {report.seconds:.0f} s", file=sys.stderr)
            for error in report.errors:
                print(f"fout: {error}", file=sys.stderr)
        launch(settings, announce=True)
    except KennisbankError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
