"""Store the compiled programs of the analyses' regular expressions.

Writes ``src/copydesk/data/sre-programs-<tag>.marshal`` for the running
CPython (``<tag>`` names its version and regular expression program
format): for every :class:`~copydesk.analysis._lazy_regex.LazyRegex` of the
quote and people analyses, the program ``re.compile`` makes for it, which
``LazyRegex`` hands straight to the engine instead of compiling (see
``copydesk/analysis/_lazy_regex.py``). Run it with each supported CPython
after changing a pattern::

    for v in 3.10 3.11 3.12 3.13; do PYTHONPATH=src python$v scripts/make_regex_programs.py; done

A pattern changed without running it is only compiled again, as before;
``tests/test_analysis_cold_data.py`` fails until the file is made again.
"""

from __future__ import annotations

import marshal
import re
import sys

import copydesk.analysis.people  # noqa: F401  (defines its patterns)
import copydesk.analysis.quotes  # noqa: F401
from copydesk.analysis import _lazy_regex
from copydesk.analysis._lazy_regex import INSTANCES, interpreter_tag, program_for, programs_path, stored_pattern


def main() -> None:
    tag = interpreter_tag()
    if tag is None:
        sys.exit("only CPython's programs can be stored")
    programs = {}
    for lazy in INSTANCES:
        source = lazy.source_text()
        programs[(source, int(lazy.flags))] = program_for(source, int(lazy.flags))
    path = programs_path(tag)
    path.write_bytes(marshal.dumps(programs))
    _lazy_regex._programs = None  # read the file just written
    for source, flags in programs:  # what is stored makes what re.compile makes
        assert stored_pattern(source, flags) == re.compile(source, flags), source
    print(f"wrote {len(programs)} programs to {path}")


if __name__ == "__main__":
    main()
