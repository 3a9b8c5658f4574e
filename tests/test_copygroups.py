"""copies_<generation>.bin, written with the index, groups the copies that the article
records' own sketches group, through updates, removals and rebuilds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import search
from search.duplicates import copies
from search.engine.copygroups import COPIES_FILE, CopyGroups, encode_copies, open_copies
from search.engine.index import open_whoosh


def recorded_sketches(index_dir: Path) -> dict[str, list[int]]:
    """Every live article's sketch, as its article record stores it."""
    with open_whoosh(index_dir).searcher() as searcher:
        return {stored["doc_id"]: json.loads(stored.get("sketch") or "[]")
                for stored in searcher.documents(rectype="article")}


def copies_file(index_dir: Path) -> CopyGroups:
    (name,) = [path.name for path in index_dir.iterdir() if COPIES_FILE.match(path.name)]
    found = open_copies(index_dir, int(COPIES_FILE.match(name).group(1)))
    assert found is not None
    return found


def reprint(source: Path, target: Path) -> None:
    """Save an article again under another name with a new first line (a reprint)."""
    target.write_text("Reprinted with permission.\n\n" + source.read_text(encoding="utf-8"),
                      encoding="utf-8")


def test_the_file_holds_the_records_sketches_and_their_groups(seed_copy, tmp_path):
    (original,) = seed_copy.glob("000_*.txt")
    reprint(original, seed_copy / "reprint-of-000.txt")
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir)
    groups = copies_file(index_dir)
    sketches = recorded_sketches(index_dir)
    assert groups.sketches() == sketches
    assert groups.as_dict() == dict(groups) == copies(sketches)
    assert dict(groups) == {original.stem: ("reprint-of-000",),
                            "reprint-of-000": (original.stem,)}
    assert "001" not in groups and len(groups) == 2


def test_updates_and_removals_keep_the_groups_a_rebuild_makes(seed_copy, tmp_path):
    (original,) = seed_copy.glob("000_*.txt")
    (other,) = seed_copy.glob("002_*.txt")
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir)
    assert dict(copies_file(index_dir)) == {}
    reprint(original, seed_copy / "a.txt")
    reprint(other, seed_copy / "b.txt")
    search.build([seed_copy], index_dir)  # two copies added
    (seed_copy / "a.txt").unlink()
    (seed_copy / "b.txt").write_text("Now a different text altogether.\n", encoding="utf-8")
    shutil.copy(other, seed_copy / "c.txt")
    search.build([seed_copy], index_dir)  # one removed, one changed, one added
    groups = copies_file(index_dir)
    assert dict(groups) == {other.stem: ("c",), "c": (other.stem,)}
    assert groups.sketches() == recorded_sketches(index_dir)
    fresh = tmp_path / "fresh"
    search.build([seed_copy], fresh)
    assert dict(copies_file(fresh)) == dict(groups)


def test_a_lost_copies_file_is_regrouped_from_the_records(seed_copy, tmp_path):
    (original,) = seed_copy.glob("000_*.txt")
    reprint(original, seed_copy / "reprint.txt")
    index_dir = tmp_path / "index"
    search.build([seed_copy], index_dir)
    for path in index_dir.iterdir():
        if COPIES_FILE.match(path.name):
            path.unlink()
    with search.open(index_dir) as library:  # an index of an older version: no file
        assert library.store.copies == {original.stem: ("reprint",), "reprint": (original.stem,)}
    search.build([seed_copy], index_dir)  # nothing changed: the file is written again
    assert dict(copies_file(index_dir)) == {original.stem: ("reprint",),
                                            "reprint": (original.stem,)}


def test_an_empty_table_reads_back_empty():
    groups = CopyGroups(memoryview(encode_copies({})))
    assert dict(groups) == {} and groups.sketches() == {} and not groups
