"""The engine: everything that knows Whoosh (building, segments, queries, the read-side store).

Importing it first imports Whoosh without modules Whoosh imports at start-up and a search
never uses: `whoosh.compat` imports `urllib.request` (and with it http.client, ssl and email)
for a download helper; `whoosh.query.terms` imports `whoosh.lang.morph_en`, whose rule table
compiles for the `Variations` query we do not use; `whoosh.analysis` imports
`whoosh.lang.porter` (a Porter stemmer whose regular expressions compile at import; our
analyser stems with NLTK's Snowball) and `whoosh.lang.dmetaphone` (the same, for a
sound-alike filter we do not use); `whoosh.util.times` imports `calendar` for date
arithmetic, `whoosh.filedb.filestore` imports `tempfile` for a writer's temporary files,
`whoosh.filedb.compound` imports `shutil` (and its compression modules) to write compound
files, and `whoosh.compat` imports `html` (and its entity table) for the highlighter's HTML.
While Whoosh is first imported, each is a stand-in whose function imports the real module
when called; the stand-ins are then removed from `sys.modules`, so anything importing those
modules later gets the real ones. Together they were a sixth of a search command's start-up.

Three whole Whoosh modules wait the same way, for their first use: `whoosh.searching` imports
`whoosh.highlight` for the highlights of a `Results` (ours are made by `find`),
`whoosh.collectors` imports `whoosh.sorting` for sorting and grouping by facets (we never ask
for either), and `whoosh.codec.base` imports `whoosh.automata.lev` (with its automata) for
Whoosh's own fuzzy terms: each module that imported them holds a stand-in module
(`_LazyModule`) that imports the real one at the first name asked of it. They were 45
classes to define. So does `random`, which `whoosh.util` and `whoosh.classify` import for
temporary file names and clustering (seeding its generator reads the system's entropy).

`whoosh.filedb.filetables` hashes every term lookup with `hashlib.md5`, and importing
hashlib loads OpenSSL (4 ms). Its stand-in hands Whoosh the `md5` of CPython's private
`_md5` module instead, the one hashlib itself falls back to without OpenSSL: the same
digests (tested), or the real hashlib's where `_md5` is missing.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable

DEFERRED = {"urllib.request": "urlretrieve", "whoosh.lang.morph_en": "variations",
            "whoosh.lang.porter": "stem", "whoosh.lang.dmetaphone": "double_metaphone",
            "calendar": "monthrange", "tempfile": "gettempdir", "hashlib": "md5",
            "html": "escape", "shutil": "copyfileobj"}
LAZY = ("whoosh.highlight", "whoosh.sorting", "whoosh.automata.lev", "random")


class _Forwarder:
    """A deferred module's function: imports the real module when called. Pickled, it is the
    real function, because Whoosh pickles a StemmingAnalyzer's stem function into the schema
    of any index made with it (plain Whoosh beside us in one process, as bench/baseline.py)."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.__name__ = module, name

    def __call__(self, *args: object, **kwargs: object) -> object:
        return real_function(self.module, self.__name__)(*args, **kwargs)

    def __reduce__(self) -> tuple[Callable, tuple[str, str]]:
        return real_function, (self.module, self.__name__)


def real_function(module: str, name: str) -> Callable:
    """Return the function `name` of `module`, imported now."""
    return getattr(importlib.import_module(module), name)


class _LazyModule(types.ModuleType):
    """A module that is imported at its first attribute asked for, then answers for it."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(importlib.import_module(self.__name__), name)
        setattr(self, name, value)
        return value


def _standin_function(module: str, name: str) -> Callable:
    if module == "hashlib":
        try:
            from _md5 import md5  # type: ignore[import-not-found, unused-ignore]

            return md5
        except ImportError:
            pass
    return _Forwarder(module, name)


def _import_whoosh_lightly() -> None:
    """Import Whoosh with the DEFERRED modules not yet loaded standing in."""
    if "whoosh" in sys.modules:
        return
    standins = {}
    for module, name in DEFERRED.items():
        if module not in sys.modules:
            standin = types.ModuleType(module)
            setattr(standin, name, _standin_function(module, name))
            standins[module] = sys.modules[module] = standin
    for module in LAZY:
        if module not in sys.modules:
            standins[module] = sys.modules[module] = _LazyModule(module)
    try:
        import whoosh.codec.whoosh3  # noqa: F401  (what imports whoosh.automata.lev)
        import whoosh.collectors  # noqa: F401  (what imports whoosh.sorting)
        import whoosh.filedb.compound  # noqa: F401  (what imports shutil)
        import whoosh.filedb.filetables  # noqa: F401  (what imports hashlib)
        import whoosh.query  # noqa: F401  (what imports the others)
        import whoosh.searching  # noqa: F401  (what imports whoosh.highlight)
    finally:
        for module, standin in standins.items():
            if sys.modules.get(module) is standin:
                del sys.modules[module]


_import_whoosh_lightly()
