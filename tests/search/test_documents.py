"""Every text a page shows is in its search document, or deliberately left out (LEFT_OUT)."""

import pytest
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.models import Page

from kb.contexts.visibility import public
from search import text as textmod
from search.documents import LEFT_OUT, SEARCHABLE_MODELS, build_document
from search.engines.embedded import field_texts

TEXT_FIELDS = (models.CharField, models.TextField)


def text_fields(model):
    """Our text fields of a model: Wagtail's page bookkeeping fields are not content."""
    own = [
        field
        for field in model._meta.get_fields()
        if isinstance(field, TEXT_FIELDS) and field.model is not Page
    ]
    title = [model._meta.get_field("title")] if issubclass(model, Page) else []
    return title + own


def inline_relations(model):
    """Each inline model (orderable rows) of a page type, by its related name."""
    return [
        relation
        for relation in model._meta.related_objects
        if isinstance(relation.remote_field, ParentalKey)
    ]


def shown_values(instance, field):
    if field.choices:
        return [getattr(instance, f"get_{field.name}_display")()]
    return [getattr(instance, field.name)]


def left_out(model, field):
    return field.name in LEFT_OUT["*"] or field.name in LEFT_OUT.get(model.__name__, {})


def document_words(document):
    return {word for text in field_texts(document) for word in textmod.words(text)}


def checked_fields(page):
    """(model, field, value) for every non-empty text a page and its rows hold."""
    model = type(page)
    for field in text_fields(model):
        for value in shown_values(page, field):
            yield model, field, value
    for relation in inline_relations(model):
        for row in getattr(page, relation.get_accessor_name()).all():
            for field in text_fields(relation.related_model):
                for value in shown_values(row, field):
                    yield relation.related_model, field, value


@pytest.mark.django_db
@pytest.mark.parametrize("model", SEARCHABLE_MODELS, ids=lambda m: m.__name__)
def test_every_text_field_is_searchable_or_deliberately_left_out(model):
    pages = list(public(model))
    assert pages, f"no published {model.__name__} to check"
    seen = set()
    for page in pages:
        words = document_words(build_document(page))
        for owner, field, value in checked_fields(page):
            if not value or left_out(owner, field):
                continue
            seen.add((owner.__name__, field.name))
            missing = set(textmod.words(str(value))) - words
            assert not missing, (
                f"{owner.__name__}.{field.name} of {page.url} shows {sorted(missing)} that its "
                "search document lacks; index it, or add it to search.documents.LEFT_OUT"
            )
    assert seen, model


def test_left_out_names_real_fields():
    models_by_name = {m.__name__: m for m in SEARCHABLE_MODELS}
    for model in SEARCHABLE_MODELS:
        for relation in inline_relations(model):
            models_by_name[relation.related_model.__name__] = relation.related_model
    for owner, fields in LEFT_OUT.items():
        candidates = models_by_name.values() if owner == "*" else [models_by_name[owner]]
        for name in fields:
            assert any(name in {f.name for f in text_fields(m)} for m in candidates), (
                owner,
                name,
            )


@pytest.mark.django_db
def test_contacts_outcomes_and_sub_categories_are_searchable(client):
    for query, url in [
        ("Rachel Spencer", "/case-studies/kirklees-wocba/"),
        ("Senior Public Health Manager", "/case-studies/kirklees-wocba/"),
        ("rickets", "/evidence/maternal-and-infant-nutrition/"),
    ]:
        results = client.get("/api/search/", {"q": query}).json()["results"]
        assert url in [r["url"].split("#")[0] for r in results][:1], (query, results)


def test_a_contact_added_by_an_editor_is_found_by_name_and_organisation(
    isolated_index, django_capture_on_commit_callbacks
):
    from kb.models import CaseStudyContact, CaseStudyPage
    from search.engines import SearchRequest

    page = CaseStudyPage.objects.live().get(url_path__endswith="/kirklees-wocba/")
    assert isolated_index.search(SearchRequest.build("Jo Tester")).total == 0
    page.contacts.add(CaseStudyContact(name="Jo Tester", role="Tester", organisation="Testshire"))
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    for query in ("Jo Tester", "Testshire"):
        hits = isolated_index.search(SearchRequest.build(query)).hits
        assert [hit.url for hit in hits] == [page.url], query
