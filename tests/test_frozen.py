"""`frozen_dataclass` behaves as `@dataclass(frozen=True)`: equality, hashing, repr, frozen
fields, `replace`, `fields` and pickling, on classes shaped like the package's own."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from search.frozen import frozen_dataclass, mutable_dataclass


def both(body: dict, name: str = "Block") -> tuple[type, type]:
    """The same class body made by `frozen_dataclass` and by `dataclass(frozen=True)`."""
    annotations = body.pop("__annotations__")
    make = lambda: type(name, (), {"__annotations__": dict(annotations), **dict(body)})  # noqa: E731
    return frozen_dataclass(make()), dataclass(frozen=True)(make())


SHAPES = {
    "several fields": ({"__annotations__": {"path": "str", "line": "int", "kinds": "tuple"},
                        "kinds": ()}, [("a.md", 3, ("quote",)), ("a.md", 3), ("b.md", 3)]),
    "one field": ({"__annotations__": {"text": "str"}}, [("Trotsky",), ("Stalin",)]),
    "no field": ({"__annotations__": {}}, [()]),
    "uncompared and unhashed fields": (
        {"__annotations__": {"name": "str", "score": "float", "note": "str"},
         "score": field(default=0.0, compare=False), "note": field(default="", hash=False)},
        [("x", 1.0, "n"), ("x", 2.0, "n"), ("x", 1.0, "other"), ("y",)]),
    "a hidden field": ({"__annotations__": {"name": "str", "secret": "str"},
                        "secret": field(default="", repr=False)}, [("x", "s")]),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_equality_hash_and_repr_match_dataclass(shape: str) -> None:
    body, argument_lists = SHAPES[shape]
    ours, theirs = both(dict(body))
    for first in argument_lists:
        assert repr(ours(*first)) == repr(theirs(*first))
        assert hash(ours(*first)) == hash(theirs(*first))
        for second in argument_lists:
            assert (ours(*first) == ours(*second)) == (theirs(*first) == theirs(*second))
            assert (ours(*first) != ours(*second)) == (theirs(*first) != theirs(*second))


def test_equal_only_to_the_same_class() -> None:
    body = {"__annotations__": {"text": "str"}}
    ours, theirs = both(dict(body))
    other, _ = both(dict(body), name="Other")
    assert ours("a") != other("a")
    assert ours("a") != theirs("a")
    assert ours("a") != ("a",)
    assert ours("a").__eq__(("a",)) is NotImplemented


def test_frozen_replace_fields_and_pickle() -> None:
    ours, _ = both({"__annotations__": {"path": "str", "line": "int"}})
    block = ours("a.md", 3)
    with pytest.raises(FrozenInstanceError):
        block.line = 4  # type: ignore[attr-defined]
    with pytest.raises(FrozenInstanceError):
        del block.path  # type: ignore[attr-defined]
    assert dataclasses.is_dataclass(block)
    assert [item.name for item in dataclasses.fields(block)] == ["path", "line"]
    assert dataclasses.replace(block, line=4) == ours("a.md", 4)
    assert dataclasses.asdict(block) == {"path": "a.md", "line": 3}
    assert {block, ours("a.md", 3)} == {block}


def test_recursive_repr_is_cut_short() -> None:
    ours, theirs = both({"__annotations__": {"items": "list"}})
    mine, reference = ours([]), theirs([])
    mine.items.append(mine)
    reference.items.append(reference)
    assert repr(mine) == repr(reference) == "Block(items=[...])"


def test_a_class_with_its_own_methods_is_left_to_dataclass() -> None:
    @frozen_dataclass
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert repr(Named("x")) == "<x>"
    assert Named("x") == Named("x") and hash(Named("x")) == hash(Named("x"))


def test_a_package_class_pickles_and_compares() -> None:
    from search.catalog import ArticleMeta

    meta = ArticleMeta(doc_id="kronstadt", path="seeds/kronstadt.txt", title="Kronstadt",
                       authors=("Leon Trotsky",))
    again = pickle.loads(pickle.dumps(meta))
    assert again == meta and hash(again) == hash(meta)
    assert again != dataclasses.replace(meta, title="Kronstadt 1921")
    assert repr(again).startswith("ArticleMeta(doc_id='kronstadt', path='seeds/kronstadt.txt', ")


def test_constructor_matches_dataclass() -> None:
    body = {"__annotations__": {"path": "str", "line": "int", "kinds": "tuple",
                                "notes": "list"},
            "__doc__": "A block.", "line": 1, "kinds": (), "notes": field(default_factory=list)}
    ours, theirs = both(dict(body))
    for args, kwargs in [(("a.md",), {}), (("a.md", 3), {"notes": ["n"]}),
                         ((), {"path": "b.md", "kinds": ("quote",)})]:
        assert dataclasses.asdict(ours(*args, **kwargs)) == dataclasses.asdict(
            theirs(*args, **kwargs))
    assert ours("a").notes is not ours("a").notes  # a fresh default from the factory
    for args, kwargs in [((), {}), (("a", 1, (), [], "extra"), {}), (("a",), {"colour": 1})]:
        with pytest.raises(TypeError) as mine:
            ours(*args, **kwargs)
        with pytest.raises(TypeError) as reference:
            theirs(*args, **kwargs)
        assert str(mine.value).split("()")[1] == str(reference.value).split("()")[1]
    assert str(inspect.signature(ours("a").__init__)) == str(
        inspect.signature(theirs("a").__init__))
    assert ours.__init__.__qualname__ == "Block.__init__"
    assert dataclasses.replace(ours("a"), line=2) == ours("a", 2)


def test_frozen_guards_match_dataclass() -> None:
    body = {"__annotations__": {"path": "str"}, "__doc__": "A block."}
    ours, theirs = both(dict(body))
    for made in (ours, theirs):
        block = made("a.md")
        with pytest.raises(FrozenInstanceError, match="cannot assign to field 'path'"):
            block.path = "b.md"
        with pytest.raises(FrozenInstanceError, match="cannot assign to field 'other'"):
            block.other = 1
        with pytest.raises(FrozenInstanceError, match="cannot delete field 'path'"):
            del block.path
        assert made.__dataclass_params__.frozen  # type: ignore[attr-defined]

        class Plain(made):  # type: ignore[valid-type, misc]
            pass

        child = Plain("a.md")
        child.other = 1  # not a field, not the class itself: allowed, as dataclass allows
        with pytest.raises(FrozenInstanceError):
            child.path = "b.md"
        with pytest.raises(TypeError, match="non-frozen dataclass from a frozen one"):
            dataclass(type("Mutable", (made,), {"__annotations__": {}}))


def test_field_order_errors_when_the_class_is_defined() -> None:
    body = {"__annotations__": {"line": "int", "path": "str"}, "__doc__": "A block.",
            "line": 1}
    with pytest.raises(TypeError, match="non-default argument 'path' follows default"):
        frozen_dataclass(type("Block", (), dict(body)))


def test_unusual_classes_are_left_to_dataclass() -> None:
    @frozen_dataclass
    class Later:
        """Counts on __post_init__."""

        name: str

        def __post_init__(self) -> None:
            object.__setattr__(self, "name", self.name.upper())

    assert Later("x").name == "X"

    @frozen_dataclass
    class Undocumented:
        name: str

    assert Undocumented.__doc__ == "Undocumented(name: 'str')"


def test_mutable_dataclass_matches_dataclass() -> None:
    annotations = {"budget": "int", "notes": "list", "over": "bool"}
    make = lambda: type("Work", (), {"__annotations__": dict(annotations), "__doc__": "Work.",  # noqa: E731
                                     "notes": field(default_factory=list), "over": False})
    ours, theirs = mutable_dataclass(make()), dataclass(make())
    for made in (ours, theirs):
        work = made(3)
        work.over = True
        work.notes.append("left out")
        assert (repr(work), work == made(3, ["left out"], True), work == made(3)) == (
            "Work(budget=3, notes=['left out'], over=True)", True, False)
        assert made.__hash__ is None
        assert dataclasses.asdict(dataclasses.replace(work, budget=4)) == {
            "budget": 4, "notes": ["left out"], "over": True}
        assert not made.__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert made(1).notes is not made(1).notes
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    assert ours(1) != theirs(1)


def test_a_field_named_self() -> None:
    ours, theirs = both({"__annotations__": {"self": "str", "other": "int"}, "__doc__": "Odd.",
                         "other": 2})
    assert dataclasses.asdict(ours("me")) == dataclasses.asdict(theirs("me")) == {
        "self": "me", "other": 2}
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
