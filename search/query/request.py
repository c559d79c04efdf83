"""A search request, validated once, so every engine receives clean input and every caller
(the page, the API, the CLI) gets the same errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.facets import FACETS_BY_NAME, MAX_PAGE, MAX_QUERY_LENGTH, PAGE_SIZE, SORTS


class InvalidSearchRequest(ValueError):
    """Input a user must correct (shown as HTTP 400 or a form error)."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE

    @classmethod
    def build(cls, query="", filters=None, sort="relevance", page=1, *, lenient=False):
        """Validate raw values (e.g. from a query string) into a request.

        Raises InvalidSearchRequest for what the user must fix. Strict (the API and the CLI): a
        bad sort or page raises too. Lenient (the page): an unknown sort becomes relevance and a
        bad page the nearest valid number (1 for anything that is not a whole number). A query
        over MAX_QUERY_LENGTH raises in both modes.
        """
        query = "".join(ch for ch in str(query or "") if ch.isprintable() or ch in " \t")
        query = " ".join(query.split())
        if len(query) > MAX_QUERY_LENGTH:
            raise InvalidSearchRequest("q", f"Search for {MAX_QUERY_LENGTH} characters or fewer.")
        if sort in (None, "") or (lenient and sort not in SORTS):
            sort = "relevance"
        if sort not in SORTS:
            raise InvalidSearchRequest("sort", "Sort by relevance, newest or title.")
        try:
            page = int(page or 1)
        except (TypeError, ValueError):
            if not lenient:
                raise InvalidSearchRequest("page", "Page must be a whole number.") from None
            page = 1
        if lenient:
            page = min(max(page, 1), MAX_PAGE)
        if page < 1 or page > MAX_PAGE:
            raise InvalidSearchRequest("page", f"Page must be between 1 and {MAX_PAGE}.")
        clean_filters = {}
        for name, values in (filters or {}).items():
            if name not in FACETS_BY_NAME:
                continue
            kept = tuple(dict.fromkeys(str(v)[:120] for v in values if str(v).strip()))
            if kept:
                clean_filters[name] = kept
        return cls(query=query, filters=clean_filters, sort=sort, page=page)

    @property
    def offset(self):
        return (self.page - 1) * self.page_size
