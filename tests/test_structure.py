"""Tests for the package's shape: one door to Whoosh, no import cycles, stages in order."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "search"


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (search.engine.store ...)."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """Modules a module imports anywhere in it (top level, functions, TYPE_CHECKING)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_nothing_outside_the_engine_imports_whoosh():
    offenders = sorted(name for name, path in modules().items()
                       if not name.startswith("search.engine")
                       and any(i == "whoosh" or i.startswith("whoosh.")
                               for i in imports_of(name, path)))
    assert offenders == []


def test_the_engine_is_where_whoosh_is_used():
    users = {name for name, path in modules().items()
             if any(i.startswith("whoosh") for i in imports_of(name, path))}
    assert {"search.engine.store", "search.engine.index", "search.engine.segments"} <= users


def test_the_import_graph_has_no_cycle():
    """Edges between the package's modules (the re-exporting __init__ files left out)."""
    names = modules()
    graph = {name: {i for i in imports_of(name, path) if i in names and i != name
                    and names[i].name != "__init__.py"}
             for name, path in names.items() if path.name != "__init__.py"}
    cycles = []

    def visit(node: str, trail: list[str], done: set[str]) -> None:
        if node in trail:
            cycles.append(trail[trail.index(node):] + [node])
            return
        if node in done:
            return
        for target in sorted(graph.get(node, ())):
            visit(target, trail + [node], done)
        done.add(node)

    finished: set[str] = set()
    for name in sorted(graph):
        visit(name, [], finished)
    assert cycles == []


def test_verify_does_not_know_the_library():
    for name in ("search.verify", "search.check", "search.find", "search.attribution"):
        assert "search.library" not in imports_of(name, modules()[name]), name


def test_no_module_sets_environment_variables_when_imported():
    code = ("import os, pkgutil, importlib, search; before = dict(os.environ)\n"
            "for m in ['search.' + n for n in ('analyse', 'attribution', 'align', 'check', "
            "'cite', 'cli', 'find', 'ingest', 'library', 'manuscript', 'paraphrase', "
            "'quotation', 'embed', 'embed_onnx', 'vectors', 'hybrid', 'phrasing', 'verify', "
            "'engine.store', 'engine.index')]:\n"
            "    importlib.import_module(m)\n"
            "changed = {k for k in set(os.environ) | set(before) "
            "if os.environ.get(k) != before.get(k)}\n"
            "print(sorted(changed))")
    assert python_output(code).strip() == "[]"


def test_the_package_ships_py_typed():
    assert (PACKAGE_DIR / "py.typed").is_file()


def test_a_search_imports_whoosh_without_the_modules_it_never_uses():
    """The stand-ins of search/engine/__init__.py: none of the modules is loaded by opening
    the store, and what Whoosh calls in each still works (the real module, imported then)."""
    code = ("import sys, search.engine.store\n"
            "print(sorted(m for m in ('urllib.request', 'whoosh.lang.morph_en', "
            "'whoosh.lang.porter', 'whoosh.lang.dmetaphone', 'calendar', 'tempfile', "
            "'hashlib', '_hashlib', 'html', 'shutil', 'whoosh.highlight', 'whoosh.sorting', "
            "'whoosh.automata.lev', 'random') "
            "if m in sys.modules))\n"
            "import whoosh.query.terms, urllib.request, hashlib\n"
            "from whoosh.analysis import DoubleMetaphoneFilter, RegexTokenizer, StemmingAnalyzer\n"
            "from whoosh.filedb import filestore, filetables\n"
            "from whoosh.util import times\n"
            "print(sorted(whoosh.query.terms.variations('run'))[:2], "
            "urllib.request.urlopen.__module__, "
            "[t.text for t in StemmingAnalyzer()('running horses')], "
            "[t.text for t in (RegexTokenizer() | DoubleMetaphoneFilter())('Trotsky')])\n"
            "print(filetables.md5_hash(b'trotski') == int(hashlib.md5(b'trotski').hexdigest(), 16)"
            " & 0xffffffff, times.calendar.monthrange(2024, 2), "
            "filestore.tempfile.gettempdir() == __import__('tempfile').gettempdir())\n"
            "from whoosh.compat import htmlescape\n"
            "from whoosh.filedb.compound import copyfileobj\n"
            "import io; copied = io.BytesIO(); copyfileobj(io.BytesIO(b'seg'), copied)\n"
            "print(htmlescape('<b>&</b>'), copied.getvalue())\n"
            "import whoosh.collectors, whoosh.searching\n"
            "print(type(whoosh.searching.highlight.Highlighter()).__module__, "
            "whoosh.collectors.sorting.FieldFacet is sys.modules['whoosh.sorting'].FieldFacet, "
            "whoosh.searching.highlight.Highlighter is __import__('whoosh.highlight')"
            ".highlight.Highlighter)\n"
            "from whoosh.codec import base\n"
            "print(base.lev.levenshtein_automaton('kat', 1).to_dfa().accept('cat'), "
            "len(base.random_name()), whoosh.util.random.choice is sys.modules['random'].choice)")
    assert python_output(code) == ("[]\n['ran', 'run'] urllib.request ['runn', 'hors'] ['TRTSK']\n"
                             "True (3, 29) True\n&lt;b&gt;&amp;&lt;/b&gt; b'seg'\n"
                             "whoosh.highlight True True\nTrue 28 True\n")


def test_a_plain_search_command_imports_only_what_searching_needs(seed_index):
    """Cold start (issue 9): a words-only search on an index without vectors does not import
    numpy, NLTK (the index's stem table answers), the indexing machinery, the quotation
    checker or Whoosh's query parser (plain words are read without it); each would cost
    start-up time for nothing."""
    never = ["numpy", "nltk", "search.engine.index", "search.engine.report", "search.layout",
             "search.quotation", "search.verify", "search.vectors", "search.embed",
             "search.engine.candidates", "search.engine.impactwriter",
             "whoosh.qparser", "whoosh.highlight", "whoosh.sorting", "whoosh.automata.lev",
             "search.engine.lock", "random"]
    code = ("import io, sys, contextlib\n"
            f"sys.argv = ['seedsearch', 'search', 'kronstadt uprising', '--index', {str(seed_index)!r},"
            " '--json']\n"
            "from search.cli import main\n"
            "try:\n"
            "    with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "        main()\n"
            "except SystemExit as exit:\n"
            "    code = exit.code\n"
            f"print(code, '\"rank\": 1' in out.getvalue(), [m for m in {never!r} if m in sys.modules])")
    assert python_output(code) == "0 True []\n"


def test_plain_whoosh_can_make_an_index_after_search_is_imported(tmp_path):
    """Bug: the stand-in for Whoosh's Porter stemmer could not be pickled, so any Whoosh index
    with a StemmingAnalyzer made after `import search` failed (bench/relevance.py's baseline)."""
    code = ("import sys, pickle, search.engine.store\n"
            "from whoosh import fields, index\n"
            "from whoosh.analysis import StemmingAnalyzer\n"
            "schema = fields.Schema(content=fields.TEXT(analyzer=StemmingAnalyzer()))\n"
            "writer = index.create_in(sys.argv[1], schema).writer()\n"
            "writer.add_document(content='running horses')\n"
            "writer.commit()\n"
            "analyzer = index.open_dir(sys.argv[1]).schema['content'].analyzer\n"
            "print([t.text for t in analyzer('running horses')])")
    assert python_output(code, str(tmp_path)) == "['runn', 'hors']\n"


def test_plain_whoosh_highlights_and_sorts_after_search_is_imported(tmp_path):
    """whoosh.highlight and whoosh.sorting wait for their first use (search/engine/__init__.py):
    a Whoosh search sorted by a field, with highlights, still works once search is imported."""
    code = ("import sys, search.engine.store\n"
            "print('whoosh.highlight' in sys.modules, 'whoosh.sorting' in sys.modules)\n"
            "from whoosh import fields, index, query\n"
            "schema = fields.Schema(title=fields.ID(stored=True, sortable=True),\n"
            "                       content=fields.TEXT(stored=True))\n"
            "writer = index.create_in(sys.argv[1], schema).writer()\n"
            "writer.add_document(title='b', content='the Kronstadt sailors rose')\n"
            "writer.add_document(title='a', content='Kronstadt again')\n"
            "writer.commit()\n"
            "with index.open_dir(sys.argv[1]).searcher() as searcher:\n"
            "    hits = searcher.search(query.Term('content', 'kronstadt'), sortedby='title')\n"
            "    print([hit['title'] for hit in hits], hits[1].highlights('content'))\n")
    assert python_output(code, str(tmp_path)) == ("False False\n"
                             "['a', 'b'] the <b class=\"match term0\">Kronstadt</b> sailors rose\n")


def python_output(code: str, *args: str) -> str:
    """What a fresh interpreter prints running code (with args) from the project folder."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, cwd=PACKAGE_DIR.parent).stdout
