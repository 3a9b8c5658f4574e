"""`frozen_dataclass` behaves as `@dataclass(frozen=True)`: equality, hashing, repr, frozen
fields, `replace`, `fields` and pickling, on classes shaped like the package's own."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from search.frozen import frozen_dataclass


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
