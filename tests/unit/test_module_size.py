"""Every module of the core reads in one sitting: none passes 350 lines (issue #22's house rule)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 350


def test_no_module_of_explorer_passes_350_lines():
    sizes = {
        p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in ROOT.glob("explorer/**/*.py")
    }
    assert {path: n for path, n in sizes.items() if n > MAX_LINES} == {}
