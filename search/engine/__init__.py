"""The engine: everything that knows Whoosh (building, segments, queries, the read-side store).

Importing it first imports Whoosh without two modules Whoosh imports at start-up and a search
never uses: `whoosh.compat` imports `urllib.request` (and with it http.client, ssl and email)
for a download helper, and `whoosh.query.terms` imports `whoosh.lang.morph_en`, whose rule
table compiles for the `Variations` query we do not use, and `whoosh.analysis` imports
`whoosh.lang.porter` (a Porter stemmer whose regular expressions compile at import; our
analyser stems with NLTK's Snowball). Together they were a sixth of a search command's
start-up. While Whoosh is first imported, each is a stand-in whose function
imports the real module when called; the stand-ins are then removed from `sys.modules`, so
anything importing those modules later gets the real ones.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable

DEFERRED = {"urllib.request": "urlretrieve", "whoosh.lang.morph_en": "variations",
            "whoosh.lang.porter": "stem"}


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


def _import_whoosh_lightly() -> None:
    """Import Whoosh with the DEFERRED modules standing in (only if neither is loaded yet)."""
    if "whoosh" in sys.modules or any(module in sys.modules for module in DEFERRED):
        return
    standins = {}
    for module, name in DEFERRED.items():
        standin = types.ModuleType(module)
        setattr(standin, name, _Forwarder(module, name))
        standins[module] = sys.modules[module] = standin
    try:
        import whoosh.query  # noqa: F401  (what imports the two)
    finally:
        for module, standin in standins.items():
            if sys.modules.get(module) is standin:
                del sys.modules[module]


_import_whoosh_lightly()
