"""Run benchmarks: `python -m bench.run [name ...] [-- args]` (default: every bench_*.py).

Each ``bench/bench_<name>.py`` has ``main(argv) -> None`` that prints its table and writes
``bench/results/<name>.json``. Speed is always reported as ratios against a baseline measured in the
same run, so figures compare across machines.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))


def main(argv: list[str]) -> None:
    names, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    for name in names or available():
        if name not in available():
            raise SystemExit(f"onbekende benchmark {name!r}; beschikbaar: {', '.join(available())}")
        importlib.import_module(f"bench.bench_{name}").main(extra)


if __name__ == "__main__":
    main(sys.argv[1:])
