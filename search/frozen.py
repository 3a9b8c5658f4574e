"""`frozen_dataclass`: `@dataclass(frozen=True)` at a fraction of the cost of defining it.

On Python 3.11 a dataclass writes each method it adds as source text and compiles it when
the class is defined: six compilations for a frozen one (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`, `__delattr__`). A `seedsearch search` command defines about twenty
such classes before it can answer, and parsing those texts was a sixth of its instructions
(callgrind, on the seeds). `__repr__`, `__eq__`, `__hash__` and the frozen guards
(`__setattr__`, `__delattr__`) do the same thing in every class, field by field, so here they
are made once as closures over the class and its field names; the constructor, which must be
per class, is compiled when the class is first instantiated (half the classes a search defines
never are: writer-side and other commands' classes).

`mutable_dataclass` does the same for `@dataclass` (fields that can be assigned; equal, not
hashable), whose `__init__`, `__repr__` and `__eq__` were compiled the same way.

The class is a real dataclass (`fields`, `replace`, `asdict` work), frozen, and its
methods give what `@dataclass(frozen=True)` would: the same constructor, equal only to an
instance of the same class with equal compared fields, the hash of the tuple of its hashed
fields, the same `repr` and the same `FrozenInstanceError`s (`tests/test_frozen.py` holds
them equal). A class that writes its own methods, inherits from a dataclass, or uses
`__post_init__`, `InitVar`, keyword-only or non-init fields is left to `dataclass` as it is.
"""

from __future__ import annotations

import reprlib
import sys
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")
_OWN_METHODS = ("__repr__", "__eq__", "__hash__")
_GUARDED = ("__init__", "__setattr__", "__delattr__", "__post_init__")
_UNUSUAL_TYPES = ("InitVar", "KW_ONLY")


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def frozen_dataclass(cls: type[T]) -> type[T]:
    """Make cls a frozen dataclass, as `@dataclass(frozen=True)` does."""
    return _made(cls, frozen=True)


@dataclass_transform(field_specifiers=(field, Field))
def mutable_dataclass(cls: type[T]) -> type[T]:
    """Make cls a dataclass, as `@dataclass` does (fields can be assigned, no hash)."""
    return _made(cls, frozen=False)


def _made(cls: type[T], frozen: bool) -> type[T]:
    if any(name in cls.__dict__ for name in _OWN_METHODS):
        return dataclass(frozen=frozen)(cls)
    made = (_uncompiled(cls, frozen) if _plain(cls)
            else dataclass(frozen=frozen, repr=False, eq=False)(cls))
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
    if not frozen:  # equal when their fields are, so not hashable (as dataclass makes it)
        made.__hash__ = None  # type: ignore[assignment]
    return made


def _plain(cls: type) -> bool:
    """True for a class whose constructor and frozen guards frozen_dataclass makes itself:
    a docstring, its own fields only, each an ordinary positional one, none of those methods
    written by hand."""
    if not cls.__doc__ or any(name in cls.__dict__ for name in _GUARDED):
        return False
    if hasattr(cls, "__post_init__") or any(hasattr(base, "__dataclass_fields__")
                                            for base in cls.__mro__[1:]):
        return False
    annotations = cls.__dict__.get("__annotations__", {})
    if any(not isinstance(kind, str) or any(word in kind for word in _UNUSUAL_TYPES)
           for kind in annotations.values()):
        return False
    return not any(isinstance(value, Field) and (not value.init or value.kw_only is True)
                   for value in cls.__dict__.values())


def _uncompiled(cls: type[T], frozen: bool) -> type[T]:
    """Make cls a dataclass without compiling anything now: the constructor is compiled on
    the first instance, the frozen guards are closures."""
    # frozen=False, or dataclass would compile the guards; the class is then marked frozen
    # as dataclass marks it (so that a dataclass subclass must be frozen too).
    made = dataclass(init=False, repr=False, eq=False)(cls)
    made.__dataclass_params__.init = True  # type: ignore[attr-defined]
    listed = fields(made)  # type: ignore[arg-type]
    _check_defaults(listed)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        made.__init__ = _compiled_init(made, listed, frozen)  # type: ignore[method-assign]
        made.__init__(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    made.__init__ = __init__  # type: ignore[method-assign]
    if not frozen:
        return made
    made.__dataclass_params__.frozen = True  # type: ignore[attr-defined]
    names = tuple(item.name for item in listed)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is made or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(made, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is made or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(made, self).__delattr__(name)

    for method in (__setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(made, method.__name__, method)
    return made


def _check_defaults(listed: tuple[Field, ...]) -> None:
    """Raise, as dataclass does when the class is defined, for a field without a default
    after one with a default."""
    seen_default = False
    for item in listed:
        if item.default is not MISSING or item.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {item.name!r} follows default argument")


def _compiled_init(cls: type, listed: tuple[Field, ...], frozen: bool) -> Callable[..., None]:
    """The `__init__` that `dataclass(frozen=frozen)` writes for these fields, compiled now.

    The same parameters, defaults, annotations and assignments, but the source holds only
    the assignments: defaults and annotations are set on the function afterwards (a third of
    the text to compile)."""
    names: dict[str, Any] = {"__dataclass_set__": object.__setattr__,
                             "__dataclass_HAS_DEFAULT_FACTORY__": _HAS_DEFAULT_FACTORY}
    self_name = "__dataclass_self__" if any(item.name == "self" for item in listed) else "self"
    defaults, lines = [], []
    for item in listed:
        name = item.name
        value = name
        if item.default_factory is not MISSING:
            names[f"__dataclass_dflt_{name}__"] = item.default_factory
            value = (f"__dataclass_dflt_{name}__() if {name} is "
                     f"__dataclass_HAS_DEFAULT_FACTORY__ else {name}")
            defaults.append(_HAS_DEFAULT_FACTORY)
        elif item.default is not MISSING:
            defaults.append(item.default)
        lines.append(f"  __dataclass_set__({self_name},{name!r},{value})" if frozen
                     else f"  {self_name}.{name}={value}")
    parameters = ",".join([self_name, *(item.name for item in listed)])
    text = (f"def __create_fn__({', '.join(names)}):\n def __init__({parameters}):\n"
            + "\n".join(lines or ["  pass"]) + "\n return __init__")
    space: dict[str, Any] = {}
    exec(compile(text, "<string>", "exec", dont_inherit=True),
         sys.modules[cls.__module__].__dict__, space)
    init = space["__create_fn__"](**names)
    init.__defaults__ = tuple(defaults) or None
    init.__annotations__ = {**{item.name: item.type for item in listed}, "return": None}
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


class _HasDefaultFactory:
    """The default shown for a parameter whose field has a default factory, as dataclass's."""

    def __repr__(self) -> str:
        return "<factory>"


_HAS_DEFAULT_FACTORY = _HasDefaultFactory()


def _values(names: list[str]) -> Callable[[Any], tuple]:
    """A function returning the tuple of an instance's values of names, in C."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        name = names[0]
        return lambda instance: (getattr(instance, name),)
    return lambda instance: ()
