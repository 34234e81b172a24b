"""guides.selectors.diff: two revisions of an article, field by field.

Parts are matched by id, so a moved step is "moved", not deleted and added;
only the fewest parts are reported as moved. Reading a revision is one query
whatever the number of parts (none when its versions are prefetched).
"""

from __future__ import annotations

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from reversion.models import Revision

from guides import services
from guides.models import PART_MODELS, Article
from guides.selectors.diff import (
    diff_revisions,
    diff_states,
    inline_diff,
    revision_state,
)
from guides.tenancy import tenant_context
from tests.factories import make_article

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]


# --- inline_diff ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "html"),
    [
        ("Call the hotline", "Call the hotline", "Call the hotline"),
        # Latin words are compared whole ...
        (
            "Call the hotline",
            "Call the store",
            "Call the <del>hotline</del><ins>store</ins>",
        ),
        # ... Chinese text character by character
        ("拨打客服热线", "拨打人工热线", "拨打<del>客服</del><ins>人工</ins>热线"),
        ("", "New", "<ins>New</ins>"),
        ("Old", "", "<del>Old</del>"),
        (None, None, ""),
        # text is escaped, markup never passes through
        ("a", "<b>a</b>", "<ins>&lt;b&gt;</ins>a<ins>&lt;/b&gt;</ins>"),
    ],
)
def test_inline_diff_marks_deletions_and_insertions(old, new, html):
    assert inline_diff(old, new) == html


def test_inline_diff_escapes_both_sides():
    html = inline_diff('<script>alert("x")</script>', "<img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;") == 2 and "&quot;x&quot;" in html


# --- diff_states: what moved ----------------------------------------------------------


def state(steps: list[int], texts: dict[int, str] | None = None) -> dict:
    """Return a ``revision_state`` whose steps have ids ``steps``, in that order."""
    texts = texts or {}
    parts = {kind: [] for kind in PART_MODELS}
    parts["steps"] = [
        (pk, {"sort_order": n, "title_en": texts.get(pk, f"Step {pk}")})
        for n, pk in enumerate(steps)
    ]
    return {"article": {"slug": "a", "title_en": "A"}, "parts": parts}


def statuses(diff) -> dict[int, str]:
    return {part.pk: part.status for part in diff.parts["steps"]}


@pytest.mark.parametrize(
    ("old", "new", "moved"),
    [
        ([1, 2, 3], [1, 2, 3], set()),
        ([1, 2, 3], [3, 1, 2], {3}),
        # the last step first: one move, not four
        ([1, 2, 3, 4, 5], [5, 1, 2, 3, 4], {5}),
        ([1, 2, 3, 4, 5], [2, 3, 4, 5, 1], {1}),
        # two runs swapped: the shorter one moved
        ([1, 2, 3, 4, 5], [4, 5, 1, 2, 3], {4, 5}),
        # reversed: all but one moved
        ([1, 2, 3, 4], [4, 3, 2, 1], 3),
        # deleting and adding parts moves nothing else
        ([1, 2, 3], [2, 9, 3], set()),
    ],
)
def test_only_the_fewest_parts_are_reported_as_moved(old, new, moved):
    diff = diff_states(state(old), state(new), LANGUAGES)
    found = {pk for pk, status in statuses(diff).items() if status == "moved"}
    assert (len(found) if isinstance(moved, int) else found) == moved


def test_parts_are_added_deleted_changed_or_unchanged_with_their_positions():
    old = state([1, 2, 3])
    new = state([1, 3, 4], texts={3: "Step three"})
    diff = diff_states(old, new, LANGUAGES)
    assert statuses(diff) == {1: "unchanged", 3: "changed", 4: "added", 2: "deleted"}
    positions = {p.pk: (p.old_position, p.new_position) for p in diff.parts["steps"]}
    assert positions == {1: (1, 1), 3: (3, 2), 4: (None, 3), 2: (2, None)}
    changed = next(p for p in diff.parts["steps"] if p.pk == 3)
    assert changed.label == "Step three"
    title = next(f for f in changed.fields if f.name == "title" and f.language == "en")
    assert (title.old, title.new, title.changed) == ("Step 3", "Step three", True)
    assert diff.has_changes
    assert not diff_states(old, old, LANGUAGES).has_changes


# --- real revisions ---------------------------------------------------------------


def revisions_of(article: Article) -> list[Revision]:
    return list(Revision.objects.filter(meta__article_id=article.pk).order_by("pk"))


def edit(article: Article, **fields) -> None:
    """Save the article through the service, as the admin does."""
    with tenant_context(article.tenant):
        article.refresh_from_db()
        services.article_update(article=article, user=None, **fields)


def parts_of(article: Article) -> dict[str, list[dict]]:
    """Return the article's parts as the service takes them (ids kept)."""
    with tenant_context(article.tenant):
        return {
            kind: [
                {"id": row["id"], **{k: v for k, v in row.items() if k != "id"}}
                for row in model.objects.filter(article=article)
                .order_by("sort_order")
                .values("id", *_editable(model))
            ]
            for kind, model in PART_MODELS.items()
        }


def _editable(model) -> list[str]:
    skip = {"id", "tenant", "article", "sort_order"}
    return [
        f.attname if f.is_relation else f.name
        for f in model._meta.concrete_fields
        if f.name not in skip and f.editable
    ]


def test_two_revisions_of_an_article_compare_field_by_field_and_part_by_part(
    tenant_a,
):
    # given: an article with three steps, then an edit that moves the last
    # step first, retitles step 2 in English, drops the document and adds a tip
    article = make_article(tenant_a, "cancel-esim", steps=3)
    parts = parts_of(article)
    first, second, third = parts["steps"]
    second["title_en"] = "Call the store"
    parts["steps"] = [third, first, second]
    parts["requirements"] = []
    parts["tips"].append({"kind": "tip", "text_zh_hans": "保留回执"})
    edit(article, parts=parts, title_en="Cancel your eSIM", slug="cancel-my-esim")
    created, edited = revisions_of(article)[:2]
    # when
    diff = diff_revisions(created, edited, LANGUAGES, article_id=article.pk)
    # then
    plain = {c.name: (c.old, c.new) for c in diff.plain if c.changed}
    assert plain == {"slug": ("cancel-esim", "cancel-my-esim")}
    english = {c.name: (c.old, c.new) for c in diff.by_language["en"] if c.changed}
    assert english == {"title": ("Cancel an eSIM", "Cancel your eSIM")}
    assert not any(c.changed for c in diff.by_language["zh-hans"])
    steps = {p.pk: p.status for p in diff.parts["steps"]}
    assert steps == {
        third["id"]: "moved",
        first["id"]: "unchanged",
        second["id"]: "changed",
    }
    moved = diff.parts["steps"][0]
    assert (moved.old_position, moved.new_position) == (3, 1)
    assert moved.label == "第3步"  # the source language labels a part
    assert [p.status for p in diff.parts["requirements"]] == ["deleted"]
    assert [p.status for p in diff.parts["tips"]] == ["unchanged", "added"]
    assert diff.has_changes


def test_a_revision_state_holds_only_the_asked_articles_rows(tenant_a):
    """With ``article_id``, another article's rows in the same revision stay out.

    (A revision never mixes tenants: guides.services.revisions refuses it.)
    """
    mine = make_article(tenant_a, "mine", steps=2)
    theirs = make_article(tenant_a, "theirs", steps=4)
    # one revision holding both, as django-reversion's own views can make
    with reversion.create_revision(), tenant_context(tenant_a):
        for article in (mine, theirs):
            reversion.add_to_revision(article)
            for step in article.steps.all():
                reversion.add_to_revision(step)
    revision = Revision.objects.order_by("-pk").first()
    state_mine = revision_state(revision, article_id=mine.pk)
    assert state_mine["article"]["slug"] == "mine"
    assert len(state_mine["parts"]["steps"]) == 2
    state_theirs = revision_state(revision, article_id=theirs.pk)
    assert state_theirs["article"]["slug"] == "theirs"
    assert len(state_theirs["parts"]["steps"]) == 4
    assert revision_state(revision, article_id=0)["article"] is None


@pytest.mark.parametrize("steps", [2, 12])
def test_reading_a_revision_is_one_query_and_none_when_prefetched(
    tenant_a, django_assert_num_queries, steps
):
    article = make_article(tenant_a, steps=steps)
    edit(article, title_en="Edited")
    ContentType.objects.get_for_models(Article, *PART_MODELS.values())  # cached
    old, new = revisions_of(article)[:2]
    with django_assert_num_queries(1):
        read = revision_state(new, article_id=article.pk)
    assert len(read["parts"]["steps"]) == steps
    with django_assert_num_queries(2):
        diff_revisions(old, new, LANGUAGES, article_id=article.pk)
    prefetched = Revision.objects.prefetch_related("version_set").get(pk=new.pk)
    with django_assert_num_queries(0):
        assert revision_state(prefetched, article_id=article.pk) == read
