"""`frozen_dataclass`: `@dataclass(frozen=True)` at a fraction of the cost of defining it.

On Python 3.11 a dataclass writes each method it adds as source text and compiles it when
the class is defined: six compilations for a frozen one (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`, `__delattr__`). A `seedsearch search` command defines about twenty
such classes before it can answer, and parsing those texts was a sixth of its instructions
(callgrind, on the seeds). `__repr__`, `__eq__` and `__hash__` do the same thing in every
class, field by field, so here they are made once as closures over the class's field names,
and only what must be per class (the constructor, the frozen guards) is compiled.

The class is a real dataclass (`fields`, `replace`, `asdict` work), frozen, and its
methods give what `@dataclass(frozen=True)` would: equal only to an instance of the same
class with equal compared fields, the hash of the tuple of its hashed fields, and the same
`repr` (`tests/test_frozen.py` holds them equal). A class that writes its own `__repr__`,
`__eq__` or `__hash__` is left to `dataclass` as it is.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")
_OWN_METHODS = ("__repr__", "__eq__", "__hash__")


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def frozen_dataclass(cls: type[T]) -> type[T]:
    """Make cls a frozen dataclass, as `@dataclass(frozen=True)` does."""
    if any(name in cls.__dict__ for name in _OWN_METHODS):
        return dataclass(frozen=True)(cls)
    made = dataclass(frozen=True, repr=False, eq=False)(cls)
    listed = fields(made)  # type: ignore[arg-type]
    compared = _values([item.name for item in listed if item.compare])
    hashed = _values([item.name for item in listed
                      if (item.compare if item.hash is None else item.hash)])
    shown = [item.name for item in listed if item.repr]

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        shown_fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({shown_fields})"

    for method in (__eq__, __hash__, __repr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(made, method.__name__, method)
    return made


def _values(names: list[str]) -> Callable[[Any], tuple]:
    """A function returning the tuple of an instance's values of names, in C."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        name = names[0]
        return lambda instance: (getattr(instance, name),)
    return lambda instance: ()
