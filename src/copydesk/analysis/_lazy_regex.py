"""Regular expressions compiled on first use, not at import.

The attribution patterns of the quote analysis take milliseconds each to
compile, and many documents never need some of them (no "according to",
no quote left open); compiling them lazily keeps importing the analysis
near-free and spares a cold ``copydesk check`` the ones it never uses.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Union

_METHODS = ("match", "search", "fullmatch", "finditer", "findall", "sub", "split")


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

    def compiled(self) -> re.Pattern[str]:
        source = self.source
        compiled = re.compile(source if isinstance(source, str) else source(), self.flags)
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
