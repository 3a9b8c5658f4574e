"""`python -m search` runs the seedsearch command line.

The collector is paused while the command line is imported, and what the import made is then
frozen (as `main` freezes it): objects that live as long as the process, which collections
would otherwise walk again and again as they are made.
"""

import gc

gc.disable()
from .cli import main  # noqa: E402

gc.freeze()
gc.enable()
main()
