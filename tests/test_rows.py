"""Stored records read by position, a run at a time, are Whoosh's own records, on an index
of several segments with deleted documents, read both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index

import search
from search.engine import merging, rows


def edit_one(seed_copy: Path) -> None:
    path = sorted(seed_copy.glob("*.txt"))[1]
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more paragraph.\n",
                    encoding="utf-8")


@pytest.mark.parametrize("fast", [True, False])
def test_runs_of_records_are_whooshs_records(seed_copy: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch, fast: bool) -> None:
    monkeypatch.setattr(merging, "REWRITE_DELETED", 0.5)  # keep the edited article's old segment
    search.build([seed_copy], tmp_path / "index")
    edit_one(seed_copy)
    search.build([seed_copy], tmp_path / "index")  # a second segment, the old copy deleted
    monkeypatch.setattr(rows, "FAST", fast)
    with index.open_dir(str(tmp_path / "index")).reader() as reader:
        assert len(reader.leaf_readers()) == 2 and reader.has_deletions()
        expected = [None if reader.is_deleted(docnum) else reader.stored_fields(docnum)
                    for docnum in range(reader.doc_count_all())]
        first, found = 0, []
        while first < reader.doc_count_all():  # runs stop where their segment does
            run = rows.stored_run(reader, first, 7)
            assert run
            found += run
            first += len(run)
        assert found == expected
        assert rows.stored_run(reader, reader.doc_count_all() - 1, 5) == expected[-1:]
        assert rows.stored_run(reader, -1, 3) == []
        read = rows.record_reader(reader)
        assert [None if reader.is_deleted(docnum) else read(docnum)
                for docnum in range(reader.doc_count_all())] == expected
