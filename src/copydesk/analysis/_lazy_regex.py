"""Regular expressions compiled on first use, not at import, from stored programs.

The attribution patterns of the quote analysis and the word patterns of
the people analysis take milliseconds each to compile: ``re`` parses and
compiles them in Python, and alternations of a hundred words are long.
Two things keep that off a cold ``copydesk check``:

- a :class:`LazyRegex` compiles its pattern the first time it is used, so
  a document never pays for the patterns it never needs (no "according
  to", no quote left open);
- compiling reuses, when it can, the program ``re`` compiled for exactly
  the same source and flags on the same CPython version, stored in
  ``copydesk/data/sre-programs-<tag>.marshal`` by
  ``scripts/make_regex_programs.py``. Handing that program to the regular
  expression engine makes the very pattern ``re.compile`` makes (a test
  checks they compare equal), for a fraction of the cost. A source with no
  stored program (edited since the file was made), another interpreter,
  or a file that cannot be read falls back to ``re.compile``: slower,
  never different.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Callable, Union

_METHODS = ("match", "search", "fullmatch", "finditer", "findall", "sub", "split")

#: Every LazyRegex made, in order (the programs script compiles them all).
INSTANCES: list["LazyRegex"] = []


class LazyRegex:
    """Stands in for ``re.compile(pattern, flags)`` until first used.

    ``pattern`` may be a function returning the source, when building the
    source is itself costly (a trie of hundreds of words). The first method
    call compiles the pattern and binds the compiled pattern's methods on
    the instance, where they shadow these, so later calls cost what a
    compiled pattern's do (no ``__getattr__``: that would slow every
    lookup). Compiling twice from two threads is harmless.
    """

    def __init__(self, pattern: Union[str, Callable[[], str]], flags: int = 0) -> None:
        #: The source, or a function that builds it (also deferred).
        self.source = pattern
        self.flags = flags
        INSTANCES.append(self)

    def source_text(self) -> str:
        source = self.source
        return source if isinstance(source, str) else source()

    def compiled(self) -> re.Pattern[str]:
        source = self.source_text()
        compiled = stored_pattern(source, self.flags) or re.compile(source, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return compiled

    def match(self, *args: Any) -> Any:
        return self.compiled().match(*args)

    def search(self, *args: Any) -> Any:
        return self.compiled().search(*args)

    def fullmatch(self, *args: Any) -> Any:
        return self.compiled().fullmatch(*args)

    def finditer(self, *args: Any) -> Any:
        return self.compiled().finditer(*args)

    def findall(self, *args: Any) -> Any:
        return self.compiled().findall(*args)

    def sub(self, *args: Any) -> Any:
        return self.compiled().sub(*args)

    def split(self, *args: Any) -> Any:
        return self.compiled().split(*args)


# -- stored programs ---------------------------------------------------------------

#: One stored program: (flags of the pattern, code as 32-bit little-endian
#: words, number of groups - 1, group name -> index, index -> group name),
#: stored under (source, flags given).
Program = tuple[int, bytes, int, dict[str, int], tuple[Union[str, None], ...]]


def interpreter_tag() -> str | None:
    """Names the regular expression engine whose programs can be reused:
    its CPython version and program format. None on other interpreters."""
    if sys.implementation.name != "cpython" or sys.byteorder != "little":
        return None
    import _sre

    if _sre.CODESIZE != 4:
        return None

    return f"cp{sys.version_info[0]}{sys.version_info[1]}-{_sre.MAGIC}-{_sre.CODESIZE}"


def programs_path(tag: str) -> Path:
    return Path(__file__).parent.parent / "data" / f"sre-programs-{tag}.marshal"


_programs: dict[tuple[str, int], Program] | None = None


def _stored_programs() -> dict[tuple[str, int], Program]:
    global _programs
    if _programs is None:
        _programs = {}
        tag = interpreter_tag()
        if tag is not None:
            try:
                import marshal

                _programs = marshal.loads(programs_path(tag).read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                pass  # no programs for this interpreter (or unreadable): compile
    return _programs


def stored_pattern(source: str, flags: int) -> re.Pattern[str] | None:
    """The pattern ``re.compile(source, flags)`` makes, from its stored
    program, or None when none is stored for exactly this source and flags."""
    program = _stored_programs().get((source, flags))
    if program is None:
        return None
    import _sre

    try:
        pattern_flags, code, groups, group_index, index_group = program
        words = memoryview(code).cast("I").tolist()
        return _sre.compile(source, pattern_flags, words, groups, dict(group_index), tuple(index_group))
    except (TypeError, ValueError, RuntimeError):  # the engine refused it: compile instead
        return None


def program_for(source: str, flags: int) -> Program:
    """The program ``re.compile(source, flags)`` compiles, as stored (the
    steps of ``re._compiler.compile``, which this CPython's ``re`` runs)."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_compile as _compiler  # type: ignore[no-redef]
        import sre_parse as _parser  # type: ignore[no-redef]

    parsed = _parser.parse(source, flags)
    code = _compiler._code(parsed, flags)
    group_index = dict(parsed.state.groupdict)
    index_group: list[str | None] = [None] * parsed.state.groups
    for name, index in group_index.items():
        index_group[index] = name
    return (
        int(flags | parsed.state.flags), b"".join(int(word).to_bytes(4, "little") for word in code),
        parsed.state.groups - 1, group_index, tuple(index_group),
    )
