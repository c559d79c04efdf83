"""Any valid request becomes a well-formed body: odd text is only ever data, never syntax."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from search.engines.base import SearchRequest
from search.facets import FACETS, SORTS
from search.query.plan import plan_query
from search.text import words

from .conftest import file_spelling_rules, make_engine, matched_text

facet_values = st.lists(st.text(max_size=30), max_size=3)


@settings(max_examples=200, deadline=None)
@given(
    query=st.text(max_size=200),
    filters=st.fixed_dictionaries({}, optional={f.name: facet_values for f in FACETS}),
    sort=st.sampled_from(sorted(SORTS)),
    page=st.integers(min_value=1, max_value=10_000),
)
def test_every_request_has_a_json_body(query, filters, sort, page):
    request = SearchRequest.build(query, filters, sort, page)
    body = make_engine(client=None).explain(request)
    assert json.loads(json.dumps(body)) == body
    typed = " ".join(words(request.query))
    if typed:
        # Every word typed, but stop words when others carry the topic (search.query.plan).
        plan = plan_query(request.query, file_spelling_rules().thesaurus)
        assert matched_text(body) == " ".join(" ".join(c.words) for c in plan.meaningful)
    elif request.query:
        assert body["query"] == {"match_none": {}}  # only punctuation: nothing matches
    else:
        assert body["query"] == {"match_all": {}}
    assert body.get("from", 0) + body["size"] <= 10_000
    selected = {name: list(values) for name, values in request.filters.items()}
    sent = {
        next(iter(clause["terms"])).removesuffix(".value"): next(iter(clause["terms"].values()))
        for clause in body.get("post_filter", {}).get("bool", {}).get("filter", [])
    }
    fields = {f.name: f.field for f in FACETS}
    assert sent == {fields[name]: values for name, values in selected.items()}
