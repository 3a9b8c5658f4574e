"""The engine: everything that knows Whoosh (building, segments, queries, the read-side store).

Importing it first imports Whoosh without four modules Whoosh imports at start-up and a
search never uses: `whoosh.compat` imports `urllib.request` (and with it http.client, ssl and
email) for a download helper; `whoosh.query.terms` imports `whoosh.lang.morph_en`, whose rule
table compiles for the `Variations` query we do not use; and `whoosh.analysis` imports
`whoosh.lang.porter` (a Porter stemmer whose regular expressions compile at import; our
analyser stems with NLTK's Snowball) and `whoosh.lang.dmetaphone` (the same, for a
sound-alike filter we do not use). Together they were a sixth of a search command's start-up.
While Whoosh is first imported, each is a stand-in whose function
imports the real module when called; the stand-ins are then removed from `sys.modules`, so
anything importing those modules later gets the real ones.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable

DEFERRED = {"urllib.request": "urlretrieve", "whoosh.lang.morph_en": "variations",
            "whoosh.lang.porter": "stem", "whoosh.lang.dmetaphone": "double_metaphone"}


def _forwarder(module: str, name: str) -> Callable:
    def forward(*args: object, **kwargs: object) -> object:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    forward.__name__ = name
    return forward


def _import_whoosh_lightly() -> None:
    """Import Whoosh with the DEFERRED modules standing in (only if neither is loaded yet)."""
    if "whoosh" in sys.modules or any(module in sys.modules for module in DEFERRED):
        return
    standins = {}
    for module, name in DEFERRED.items():
        standin = types.ModuleType(module)
        setattr(standin, name, _forwarder(module, name))
        standins[module] = sys.modules[module] = standin
    try:
        import whoosh.query  # noqa: F401  (what imports the two)
    finally:
        for module, standin in standins.items():
            if sys.modules.get(module) is standin:
                del sys.modules[module]


_import_whoosh_lightly()
