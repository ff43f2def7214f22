"""Run every benchmark (python -m bench) or the named ones (python -m bench tokenize)."""

import importlib
import pkgutil
import sys
import traceback
from pathlib import Path


def main(names: list[str]) -> int:
    found = sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    chosen = names or found
    unknown = set(chosen) - set(found)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(found)}")
        return 2
    failed = []
    for name in chosen:
        print(f"== {name}", flush=True)
        try:
            for comparison in importlib.import_module(f"bench.bench_{name}").main():
                print(comparison.line(), flush=True)
        except Exception:  # one broken benchmark does not stop the others; the exit status says it
            failed.append(name)
            print(f"!! {name} failed:\n{traceback.format_exc()}", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
