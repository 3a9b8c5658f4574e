"""`python -m search` and the `seedsearch` command run the command line from here.

The collector is paused while the command line is imported, and what the import made is then
frozen (as `main` freezes it): objects that live as long as the process, which collections
would otherwise walk again and again as they are made.
"""

import gc


def run() -> None:
    """Import the command line and run it."""
    gc.disable()
    from .cli import main

    gc.freeze()
    gc.enable()
    main()


if __name__ == "__main__":
    run()
