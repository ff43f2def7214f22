"""`make run`'s entry: warm the server (explorer/ui/server/warm.py) while Streamlit starts, then serve app.py.

python -m explorer.ui.server.serve [streamlit run options]   # e.g. --server.port 8502
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[3] / "app.py"  # explorer/ui/server/ -> the repository


def main(argv: list[str]) -> None:
    from explorer import hub

    hub.prepare()  # as app.py does: offline mode is decided before transformers is imported
    from streamlit.web import cli

    from explorer.ui.server import warm

    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.WARNING)
    warm.start()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
