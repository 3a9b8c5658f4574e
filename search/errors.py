"""One exception hierarchy: every problem a user can fix is a `SearchError` whose message says how."""


class SearchError(Exception):
    """Base class for problems the user can fix; the message says how."""

    exit_code = 2


class InputError(SearchError):
    """A file, query or quotation the user gave cannot be used as it is."""


class IndexNotFound(SearchError):
    """There is no index at the given path."""


class IndexIncompatible(SearchError):
    """The index was written by another version of the schema or analyser."""


class IndexLocked(SearchError):
    """Another writer holds the index lock, or a killed one left it behind."""


class IndexingFailed(SearchError):
    """An indexing run could not finish (a worker process died); the index is unchanged."""


class ArticleNotFound(SearchError):
    """No indexed article matches the identifier given."""


class NothingFound(SearchError):
    """A search or lookup ran fine but found nothing; exit code 1, not an error."""

    exit_code = 1


class IndexReadOnly(SearchError):
    """The index folder (or the folder it would be made in) cannot be written."""
