"""The Elasticsearch index: analysis, mapping and the indexed form of the flat search document.

Text is analysed like the embedded engine's (search/text.py): words are folded to lower case
without accents and stemmed with Snowball English ("porter2", the same algorithm PyStemmer
runs). Synonyms are not in the analysis: the query expands them from the thesaurus at search
time (query.concept_query), as the embedded engine does, so a changed synonyms file or
glossary needs no rebuild. The same index serves OpenSearch and Elasticsearch.

Every facet is a keyword field (`<field>.value`) for filtering, plus a keyword under
`facet_keys` that holds "value<US>label" so one terms aggregation returns the label too, without
a database query per search.
"""

from __future__ import annotations

from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    MetaField,
    Object,
    Text,
    analyzer,
    token_filter,
    tokenizer,
)

from search import policy
from search.facets import FACETS

INDEX_ANALYZER = "kb_english"
SPELL_ANALYZER = "kb_spelling"  # unstemmed words, for "did you mean"
# Thesaurus alternatives arrive as stems already (search.text), so they are only folded.
STEMS_ANALYZER = SPELL_ANALYZER
AUTOCOMPLETE_ANALYZER = "kb_autocomplete"  # edge n-grams of title words, for as-you-type
AUTOCOMPLETE_SEARCH_ANALYZER = "kb_autocomplete_search"

FACET_KEY_SEPARATOR = "\u001f"  # ASCII unit separator: never in a slug or a label
AUTOCOMPLETE_MAX_GRAM = 25

_folding = token_filter("kb_folding", "asciifolding")
_stemmer = token_filter("kb_stemmer", "stemmer", language="porter2")
# Words are runs of letters and digits, split on everything else, exactly as search.text.WORD_RE
# splits them for the embedded engine and for the query's concepts: "mother's" is "mother" and
# "s" in both (the standard tokenizer kept it whole, and the query then needed an "s").
_words = tokenizer("kb_words", "pattern", pattern="[^\\p{L}\\p{N}]+")
_edge_ngrams = token_filter(
    "kb_edge_ngrams", "edge_ngram", min_gram=1, max_gram=AUTOCOMPLETE_MAX_GRAM
)

english = analyzer(
    INDEX_ANALYZER,
    tokenizer=_words,
    filter=["lowercase", _folding, _stemmer],
)
spelling = analyzer(SPELL_ANALYZER, tokenizer=_words, filter=["lowercase", _folding])
autocomplete = analyzer(
    AUTOCOMPLETE_ANALYZER, tokenizer=_words, filter=["lowercase", _folding, _edge_ngrams]
)
autocomplete_search = analyzer(
    AUTOCOMPLETE_SEARCH_ANALYZER, tokenizer=_words, filter=["lowercase", _folding]
)


def _english_text(**kwargs):
    return Text(analyzer=INDEX_ANALYZER, **kwargs)


class Term(InnerDoc):
    """One facet value: the slug to filter on, and the label (searched through `taxonomy`)."""

    value = Keyword()
    label = Keyword(copy_to=["taxonomy", "spelling"])


class FacetKeys(InnerDoc):
    pass


for _facet in FACETS:
    FacetKeys._doc_type.mapping.field(_facet.name, Keyword())


class KnowledgeDocument(Document):
    """The flat search document (search/documents.py) as Elasticsearch stores it."""

    id = Integer()
    title = _english_text(
        copy_to="spelling",
        fields={
            "autocomplete": Text(
                analyzer=AUTOCOMPLETE_ANALYZER, search_analyzer=AUTOCOMPLETE_SEARCH_ANALYZER
            ),
            "words": Text(analyzer=SPELL_ANALYZER),  # whole words, for as-you-type
        },
    )
    summary = _english_text(copy_to="spelling")
    body = _english_text(copy_to="spelling")
    # One Object(Term) per facet field, added from search/facets.py below the class.
    regions = Keyword(copy_to=["taxonomy", "spelling"])
    year = Integer()
    url = Keyword(index=False)
    date = Date()
    first_published_at = Date()
    last_published_at = Date()
    # Recommendation rows ({"anchor", "text"}): kept for linking a matched row, never searched
    # (their words are in `body`).
    rows = Object(enabled=False)
    # Derived by to_source() with search/policy.py's functions, so sorts agree with embedded.
    facet_keys = Object(FacetKeys)
    sort_date = Keyword()
    title_key = Keyword()
    # policy.checksum() of the flat document: drift checks read only this, never searched.
    checksum = Keyword(index=False, doc_values=False)
    # Filled by copy_to only, never in _source: the embedded engine's "taxonomy" column (facet
    # labels and regions) and every word for "did you mean".
    taxonomy = _english_text()
    spelling = Text(analyzer=SPELL_ANALYZER)

    class Meta:
        # Unknown fields stay in _source but are not indexed: a deploy that adds a field keeps
        # working against the old index until the next rebuild maps it.
        dynamic = MetaField(False)


for _facet in FACETS:
    KnowledgeDocument._doc_type.mapping.field(_facet.field, Object(Term))


def build_index(name: str) -> Index:
    """The definition of one versioned index."""
    index = Index(name)
    index.settings(
        number_of_shards=1,  # one shard: exact corpus statistics, and the corpus is small
        auto_expand_replicas="0-1",  # a copy on a second node when there is one
        max_result_window=10_000,
    )
    for definition in (
        english,
        spelling,
        autocomplete,
        autocomplete_search,
    ):
        index.analyzer(definition)
    index.document(KnowledgeDocument)
    return index


def index_body() -> dict:
    """The settings and mappings sent when creating an index (also the golden-file subject)."""
    return build_index("unused").to_dict()


def facet_key(term: dict) -> str:
    return f"{term['value']}{FACET_KEY_SEPARATOR}{term['label']}"


def split_facet_key(key: str) -> tuple[str, str]:
    value, _, label = key.partition(FACET_KEY_SEPARATOR)
    return value, label or value


DERIVED_FIELDS = ("facet_keys", "sort_date", "title_key", "checksum")


def to_source(document: dict) -> dict:
    """What is stored: the flat document unchanged, plus fields derived from it."""
    source = dict(document)
    source["facet_keys"] = {
        facet.name: [facet_key(term) for term in document.get(facet.field) or []]
        for facet in FACETS
    }
    source["sort_date"] = policy.sort_date(document)
    source["title_key"] = policy.title_key(document.get("title") or "")
    source["checksum"] = policy.checksum(document)
    return source
