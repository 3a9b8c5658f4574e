"""`python -m search` runs the seedsearch command line."""

from .cli import main

main()
