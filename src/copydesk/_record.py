"""Immutable record classes written out by hand instead of by ``@dataclass``.

``@dataclass(frozen=True, slots=True)`` generates ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` as source text
and ``exec``s each one when the module is imported: about a millisecond
per class, several milliseconds of every cold ``copydesk check``. A
:class:`Record` subclass lists its fields in ``__slots__`` and writes its
own ``__init__``; the other methods are the shared ones below, compiled
once into the ``.pyc``, and behave as the dataclass ones do (equality and
hash over the fields in order, ``Name(field=value, ...)`` repr, assignment
refused with :class:`dataclasses.FrozenInstanceError`, pickling through
the slots).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any, TypeVar

_R = TypeVar("_R", bound="Record")
# Sets a field of a frozen record while it is built (as dataclasses do).
set_field = object.__setattr__


class Record:
    """Base of the frozen records. The fields are the subclass's ``_fields``
    (by default its ``__slots__``; more slots may cache derived values)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __init_subclass__(cls) -> None:
        if "_fields" not in cls.__dict__:
            cls._fields = cls.__slots__  # type: ignore[assignment]

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({fields})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state):
            set_field(self, name, value)

    def replace(self: _R, **changes: Any) -> _R:
        """A copy with some fields changed (``dataclasses.replace``)."""
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return self.__class__(**values)
