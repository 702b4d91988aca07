"""What configuration, selection and suppression cost per file.

Prints, for the real rule registry (no third-party plugins):

* config discovery: settings for N files spread over a deep directory tree,
  cold (every directory searched, every file parsed) and warm (cached);
* selection: deciding the rule set for one configuration;
* suppression: parsing the directives of a document with none (the common
  case) and with one directive per paragraph, and the cost they add to a
  warm ``Session.lint_text`` of the seed article.

    python benchmarks/bench_config_suppression.py [--files 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from copydesk.api import Session
from copydesk.config import ConfigLoader, Settings
from copydesk.document import Document
from copydesk.selection import resolve
from copydesk.suppression import Suppressions

SEED = Path(__file__).resolve().parents[1] / "examples" / "article.txt"


def best_of(runs: int, action) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def bench_discovery(files: int) -> None:
    with tempfile.TemporaryDirectory() as root:
        base = Path(root)
        (base / "pyproject.toml").write_text('[tool.copydesk]\nextend-ignore = ["CD102"]\n', encoding="utf-8")
        (base / "desk" / "world").mkdir(parents=True)
        (base / "desk" / "setup.cfg").write_text("[copydesk]\nextend_select = CD\n", encoding="utf-8")
        paths = [base / "desk" / "world" / f"d{i % 50}" / f"e{i % 7}" / f"story{i}.txt" for i in range(files)]
        loader = ConfigLoader()
        start = time.perf_counter()
        for path in paths:
            loader.for_path(path)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        for path in paths:
            loader.for_path(path)
        warm = time.perf_counter() - start
    print(f"config discovery, {files} files in {50 * 7} directories 4-6 levels deep:")
    print(f"  cold {cold * 1e6 / files:8.1f} µs/file   warm {warm * 1e6 / files:8.1f} µs/file")


def bench_selection(session: Session, runs: int) -> None:
    registry = session.registry
    settings = Settings(select=("ALL",), ignore=("proselint",), extend_select=("PL1", "misc.waxed"))
    seconds = best_of(runs, lambda: resolve(settings, registry))
    chosen = len(resolve(settings, registry).rules)
    print(f"selection over {len(registry)} rules -> {chosen} selected: {seconds * 1e3:.2f} ms per configuration")


def bench_suppression(session: Session, runs: int) -> None:
    seed = SEED.read_text(encoding="utf-8")
    plain = (seed + "\n\n") * 40
    paragraphs = plain.split("\n\n")
    directed = "\n\n".join(f"{p} <!-- copydesk: disable-line=CD102 -->" if p.strip() else p for p in paragraphs)
    registry = session.registry
    none = best_of(runs, lambda: Suppressions.from_document(Document(plain), registry))
    count = directed.count("<!-- copydesk")
    many = best_of(runs, lambda: Suppressions.from_document(Document(directed), registry))
    print(f"suppression parse, {len(plain) / 1e3:.0f} kB: no directives {none * 1e3:.2f} ms; "
          f"{count} directives {many * 1e3:.2f} ms")  # fmt: skip

    marked = seed.replace("\n\n", "\n\n<!-- copydesk: disable-paragraph=CD102 -->\n", 3)
    session.lint_text(seed)
    session.lint_text(marked)  # warm the paragraph cache for both
    plain_lint = best_of(runs, lambda: session.lint_text(seed))
    marked_lint = best_of(runs, lambda: session.lint_text(marked))
    print(f"warm Session.lint_text of the seed article: {plain_lint * 1e3:.2f} ms; "
          f"with 3 paragraph directives {marked_lint * 1e3:.2f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    session = Session(entry_points=False)
    bench_discovery(arguments.files)
    bench_selection(session, arguments.runs)
    bench_suppression(session, arguments.runs)


if __name__ == "__main__":
    main()
