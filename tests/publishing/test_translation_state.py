"""guides.publishing.translation_state: which translations lag behind the source.

A language is outdated once the source language (the tenant's default)
changes after that language was last edited or confirmed; texts are compared
per (part, field), so moving a part edits no language.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from guides import services
from guides.models import PART_MODELS, Step
from guides.publishing import translation_state as ts
from guides.tenancy import TenantContextMissing, tenant_context
from tests.factories import make_article

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


# --- the state, as plain data --------------------------------------------------------


def test_an_edit_of_the_source_outdates_every_other_language():
    state = ts.record_edit({}, changed={"zh-hans"}, source="zh-hans", now=NOW)
    assert state == {
        "zh-hans": {"edited_at": NOW.isoformat()},
        "en": {"source_changed_at": NOW.isoformat()},
        "zh-hant": {"source_changed_at": NOW.isoformat()},
    }
    assert ts.is_outdated(state, "en", "zh-hans")
    assert ts.is_outdated(state, "zh-hant", "zh-hans")
    assert not ts.is_outdated(state, "zh-hans", "zh-hans")  # the source never is


def test_editing_or_confirming_a_translation_brings_it_up_to_date():
    state = ts.record_edit({}, changed={"zh-hans"}, source="zh-hans", now=NOW)
    edited = ts.record_edit(state, changed={"en"}, source="zh-hans", now=LATER)
    assert not ts.is_outdated(edited, "en", "zh-hans")
    assert ts.is_outdated(edited, "zh-hant", "zh-hans")
    confirmed = ts.record_confirm(edited, language="zh-hant", now=LATER)
    assert not ts.is_outdated(confirmed, "zh-hant", "zh-hans")
    # and a later change of the source outdates both again
    again = ts.record_edit(
        confirmed, changed={"zh-hans"}, source="zh-hans", now=LATER + timedelta(1)
    )
    assert ts.is_outdated(again, "en", "zh-hans")
    assert ts.is_outdated(again, "zh-hant", "zh-hans")


def test_an_edit_made_before_the_source_changed_does_not_count():
    state = ts.record_edit({}, changed={"en"}, source="zh-hans", now=NOW)
    state = ts.record_edit(state, changed={"zh-hans"}, source="zh-hans", now=LATER)
    assert ts.is_outdated(state, "en", "zh-hans")


def test_a_translation_edited_with_the_source_is_current():
    """One save that changes the source and English leaves English current."""
    state = ts.record_edit({}, changed={"zh-hans", "en"}, source="zh-hans", now=NOW)
    assert not ts.is_outdated(state, "en", "zh-hans")
    assert ts.is_outdated(state, "zh-hant", "zh-hans")


def test_recording_returns_a_new_state_and_leaves_the_old_one_alone():
    state = {"en": {"edited_at": NOW.isoformat()}}
    ts.record_edit(state, changed={"zh-hans"}, source="zh-hans", now=LATER)
    ts.record_confirm(state, language="en", now=LATER)
    assert state == {"en": {"edited_at": NOW.isoformat()}}


@pytest.mark.parametrize(
    "entry",
    [
        {},
        {"edited_at": NOW.isoformat()},
        {"source_changed_at": "not a date"},
        {"source_changed_at": None},
    ],
)
def test_without_a_readable_source_change_nothing_is_outdated(entry):
    assert not ts.is_outdated({"en": entry}, "en", "zh-hans")
    assert not ts.is_outdated(None, "en", "zh-hans")


def test_an_unreadable_edit_time_is_no_edit():
    state = {"en": {"source_changed_at": NOW.isoformat(), "edited_at": "garbage"}}
    assert ts.is_outdated(state, "en", "zh-hans")


def test_changed_languages_are_those_whose_texts_differ():
    before = {"zh-hans": {("article", 0, "title"): "注销"}, "en": {}}
    after = {
        "zh-hans": {("article", 0, "title"): "注销"},
        "en": {("article", 0, "title"): "Cancel"},
        "zh-hant": {("article", 0, "title"): "註銷"},
    }
    assert ts.changed_languages(before, after) == {"en", "zh-hant"}
    assert ts.changed_languages(after, after) == set()


# --- texts and completeness of a stored article ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("steps", [2, 9])
def test_texts_are_read_in_one_query_per_kind_of_part(
    tenant_a, django_assert_num_queries, steps
):
    article = make_article(tenant_a, steps=steps)
    with tenant_context(tenant_a), django_assert_num_queries(len(PART_MODELS)):
        texts = ts.language_texts(article)
    step = Step.unscoped.filter(article=article).order_by("sort_order").first()
    assert texts["zh-hans"][("steps", step.pk, "title")] == "第1步"
    assert texts["en"][("steps", step.pk, "title")] == "Step 1"
    assert texts["en"][("article", 0, "title")] == "Cancel an eSIM"
    # empty texts are left out: the steps have no English body, and nothing
    # is written in Traditional Chinese
    assert ("steps", step.pk, "body") not in texts["en"]
    assert texts["zh-hant"] == {}
    with django_assert_num_queries(0):
        assert ts.language_texts(article, parts={"steps": [step]}) != texts


@pytest.mark.django_db
def test_texts_hold_the_tenants_own_parts_only(tenant_a, tenant_b):
    """A step planted with another tenant's id is no text of the article."""
    article = make_article(tenant_a, steps=1)
    planted = Step.unscoped.create(
        tenant=tenant_b, article=article, title_zh_hans="外来", sort_order=9
    )
    with tenant_context(tenant_a):
        texts = ts.language_texts(article)
    assert ("steps", planted.pk, "title") not in texts["zh-hans"]
    with pytest.raises(TenantContextMissing):
        ts.language_texts(article)


@pytest.mark.django_db
def test_moving_a_part_edits_no_language(tenant_a):
    article = make_article(tenant_a, steps=3)
    with tenant_context(tenant_a):
        before = ts.language_texts(article)
        ids = list(article.steps.order_by("sort_order").values_list("pk", flat=True))
        services.article_reorder_parts(
            article=article, user=None, kind="steps", ordered_ids=ids[::-1]
        )
        assert ts.changed_languages(before, ts.language_texts(article)) == set()
        article.refresh_from_db()
    assert ts.outdated_languages(article, languages=["en"], source="zh-hans") == []


@pytest.mark.django_db
def test_the_services_keep_the_state_an_edit_then_a_confirmation(tenant_a):
    """Edit the Chinese step text: English is outdated until confirmed."""
    article = make_article(tenant_a, steps=1)
    with tenant_context(tenant_a):
        step = article.steps.get()
        services.article_update(
            article=article,
            user=None,
            parts={"steps": [{"id": step.pk, "title_zh_hans": "新的第一步"}]},
        )
        article.refresh_from_db()
        assert ts.outdated_languages(
            article, languages=["zh-hans", "en"], source="zh-hans"
        ) == ["en"]
        services.article_translation_confirm(article=article, user=None, language="en")
        article.refresh_from_db()
    assert ts.outdated_languages(article, languages=["en"], source="zh-hans") == []


@pytest.mark.django_db
def test_completeness_lists_what_is_empty_per_language_without_a_query(
    tenant_a, django_assert_num_queries
):
    article = make_article(tenant_a, steps=3, summary_en="")
    with tenant_context(tenant_a):
        parts = {kind: list(getattr(article, kind).all()) for kind in PART_MODELS}
        parts["steps"][1].title_en = ""
        # a step counts as empty by its title: a body alone does not fill it
        parts["steps"][2].title_en = ""
        parts["steps"][2].body_en = "Only a body"
        with translation.override("en"), django_assert_num_queries(0):
            missing = ts.completeness(
                article, languages=["zh-hans", "en", "zh-hant"], parts=parts
            )
    assert missing["zh-hans"] == []
    assert missing["en"] == ["summary", "steps (2)"]
    assert missing["zh-hant"] == [
        "title",
        "summary",
        "steps (3)",
        "requirements (1)",
        "tips (1)",
        "FAQs (1)",
    ]
