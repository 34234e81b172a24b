"""Revisions, revert fidelity, publication and recovery."""

import pytest
import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from reversion.models import Revision, Version

from guides import services
from guides.checks import (
    check_reversion_stores_translations,
    missing_translated_columns,
)
from guides.models import Article, Membership, Publication, RevisionMeta, Step
from guides.tenancy import tenant_context
from tests.factories import make_article, make_tenant, make_user, step

pytestmark = pytest.mark.django_db


def steps_of(article):
    return [(s.title_zh_hans, s.title_en, s.body_zh_hans) for s in article.steps.all()]


def test_each_service_write_is_one_revision_with_all_parts_and_the_tenant(in_a):
    user = make_user(tenant=in_a)
    article = make_article(in_a, user=user)
    revisions = services.article_revisions(article=article)
    assert revisions.count() == 1
    revision = revisions.get()
    assert revision.user == user
    assert revision.meta.tenant == in_a
    assert revision.meta.article_id == article.pk
    assert revision.meta.action == RevisionMeta.Action.CREATE
    kinds = sorted(v.content_type.model for v in revision.version_set.all())
    assert kinds == ["article", "faq", "requirement", "step", "step", "step", "tip"]


def test_revert_restores_both_languages_and_exactly_the_parts_of_the_revision(in_a):
    # given: an article and its first revision
    article = make_article(in_a, steps=3)
    first = services.article_revisions(article=article).get()
    original_steps = steps_of(article)
    s1, s2, s3 = article.steps.all()
    # when: both languages change, a step is edited, the steps are reordered,
    # one is deleted and one is added
    services.article_update(
        article=article,
        user=None,
        title_zh_hans="改过的标题",
        title_en="Changed title",
        parts={
            "steps": [
                {"id": s3.pk},
                {
                    "id": s1.pk,
                    "title_zh_hans": "改过的第一步",
                    "title_en": "Edited step 1",
                },
                step(9),
            ]
        },
    )
    article.refresh_from_db()
    assert steps_of(article)[0][1] == "Step 3"
    assert Step.objects.filter(pk=s2.pk).count() == 0
    # and it is reverted to the first revision
    restored = services.article_revert(article=article, user=None, revision_id=first.pk)
    # then: every language and exactly the original parts, in the original order
    assert restored.title_zh_hans == "注销 eSIM"
    assert restored.title_en == "Cancel an eSIM"
    assert steps_of(restored) == original_steps
    assert [s.pk for s in restored.steps.all()] == [s1.pk, s2.pk, s3.pk]
    assert not Step.objects.filter(title_en="Step 9").exists()
    assert restored.status == Article.Status.DRAFT


def test_revert_to_a_revision_made_after_a_delete_does_not_resurrect_the_step(in_a):
    article = make_article(in_a, steps=2)
    s1, _s2 = article.steps.all()
    services.article_update(
        article=article, user=None, parts={"steps": [{"id": s1.pk}]}
    )
    after_delete = services.article_revisions(article=article).first()
    services.article_update(
        article=article, user=None, parts={"steps": [{"id": s1.pk}, step(5)]}
    )
    services.article_revert(article=article, user=None, revision_id=after_delete.pk)
    assert [s.pk for s in article.steps.all()] == [s1.pk]


def test_revert_is_itself_a_revision_and_raises_the_lock_version(in_a):
    article = make_article(in_a)
    first = services.article_revisions(article=article).get()
    services.article_update(article=article, user=None, title_en="v2")
    article.refresh_from_db()
    lock = article.lock_version
    restored = services.article_revert(article=article, user=None, revision_id=first.pk)
    assert restored.lock_version == lock + 1
    actions = [r.meta.action for r in services.article_revisions(article=article)]
    assert actions == ["revert", "edit", "create"]


def test_reverting_to_another_tenants_revision_is_refused(tenant_a, tenant_b):
    a = make_article(tenant_a)
    b = make_article(tenant_b)
    with tenant_context(tenant_b):
        b_revision = services.article_revisions(article=b).get()
    with tenant_context(tenant_a), pytest.raises(Revision.DoesNotExist):
        services.article_revert(article=a, user=None, revision_id=b_revision.pk)
    with tenant_context(tenant_a), pytest.raises(Article.DoesNotExist):
        services.article_update(article=b, user=None, title_en="hijack")


def test_reversion_stores_every_translated_column():
    assert check_reversion_stores_translations() == []
    for model in (Article, Step):
        assert missing_translated_columns(model) == []


def test_the_check_fails_on_a_registration_made_before_modeltranslation():
    """Re-register Article as a decorator in models.py would: plain fields only."""
    from reversion.revisions import _get_options

    follow = _get_options(Article).follow
    plain = [
        f.name
        for f in Article._meta.local_fields
        if not any(f.name.endswith(s) for s in ("_zh_hans", "_en", "_zh_hant"))
    ]
    reversion.unregister(Article)
    try:
        reversion.register(Article, fields=plain, follow=follow)
        errors = check_reversion_stores_translations()
        assert [e.id for e in errors] == ["guides.E001"]
        assert "title_zh_hans" in errors[0].msg and "title_en" in errors[0].msg
    finally:
        reversion.unregister(Article)
        reversion.register(Article, follow=follow)
    assert check_reversion_stores_translations() == []


def test_publish_then_edit_keeps_the_publication_unchanged(in_a):
    article = make_article(in_a, publish=True)
    publication = Publication.objects.get(article=article)
    before = publication.content
    assert publication.languages == ["zh-hans", "en"]
    assert before["en"]["title"] == "Cancel an eSIM"
    assert [s["title"] for s in before["zh-hans"]["steps"]] == [
        "第1步",
        "第2步",
        "第3步",
    ]
    # when: the article is edited after publishing
    services.article_update(
        article=article, user=None, title_en="Draft title", parts={"steps": [step(1)]}
    )
    article.refresh_from_db()
    # then: it is a draft and readers still get the publication
    assert article.status == Article.Status.DRAFT
    publication.refresh_from_db()
    assert publication.content == before
    # and publishing again replaces it
    services.article_publish(article=article, user=None)
    publication.refresh_from_db()
    assert publication.content["en"]["title"] == "Draft title"
    assert len(publication.content["en"]["steps"]) == 1


def test_a_missing_translation_falls_back_visibly_and_an_untitled_language_is_not_published(
    in_a,
):
    article = make_article(in_a, summary_en="", title_en="Only title")
    publication = services.article_publish(article=article, user=None)
    assert publication.content["en"]["summary"] == "如何注销 eSIM"
    assert "summary" in publication.content["en"]["fallback_fields"]
    assert publication.content["zh-hans"]["fallback_fields"] == []
    other = make_article(in_a, "zh-only", title_en="", summary_en="")
    assert services.article_publish(article=other, user=None).languages == ["zh-hans"]


def test_publish_refuses_an_article_without_steps_or_default_title(in_a):
    empty = make_article(in_a, "empty", steps=0)
    with pytest.raises(ValidationError):
        services.article_publish(article=empty, user=None)

    english_first = make_tenant(
        "eng", languages=["en", "zh-hans"], default_language="en"
    )
    untitled = make_article(english_first, "untitled", title_en="")
    with (
        tenant_context(english_first),
        translation.override("en"),
        pytest.raises(ValidationError) as excinfo,
    ):
        services.article_publish(article=untitled, user=None)
    # the language by its name, not its code
    assert "(English)" in excinfo.value.messages[0]


def test_unpublish_and_archive_remove_the_publication(in_a):
    article = make_article(in_a, publish=True)
    services.article_unpublish(article=article, user=None)
    assert not Publication.objects.filter(article=article).exists()
    services.article_publish(article=article, user=None)
    services.article_archive(article=article, user=None)
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED
    assert not Publication.objects.exists()


def test_roles_editors_write_reviewers_publish(in_a):
    editor = make_user(tenant=in_a, role=Membership.Role.EDITOR)
    reviewer = make_user(tenant=in_a, role=Membership.Role.REVIEWER)
    stranger = make_user()
    article = make_article(in_a, user=editor)
    services.article_submit(article=article, user=editor)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, user=editor)
    with pytest.raises(PermissionDenied):
        services.article_update(article=article, user=stranger, title_en="x")
    services.article_publish(article=article, user=reviewer)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_optimistic_lock_refuses_a_save_based_on_an_old_version(in_a):
    article = make_article(in_a)
    seen = article.lock_version
    services.article_update(
        article=article, user=None, expected_version=seen, title_en="first"
    )
    stale = Article.objects.get(pk=article.pk)
    with pytest.raises(services.ConcurrentEditError):
        services.article_update(
            article=stale, user=None, expected_version=seen, title_en="second"
        )
    assert Article.objects.get(pk=article.pk).title_en == "first"


def test_reorder_parts_needs_every_id_once(in_a):
    article = make_article(in_a, steps=3)
    ids = list(article.steps.values_list("pk", flat=True))
    services.article_reorder_parts(
        article=article, user=None, kind="steps", ordered_ids=ids[::-1]
    )
    assert list(article.steps.values_list("pk", flat=True)) == ids[::-1]
    with pytest.raises(ValidationError):
        services.article_reorder_parts(
            article=article, user=None, kind="steps", ordered_ids=ids[:2]
        )


def test_recover_deleted_article_with_all_parts_and_translations(in_a):
    article = make_article(in_a, steps=2, publish=True)
    pk = article.pk
    services.article_delete(article=article, user=None)
    assert not Article.objects.filter(pk=pk).exists()
    [version] = services.deleted_articles(tenant=in_a)
    recovered = services.article_recover(version_id=version.pk, user=None)
    assert recovered.pk == pk
    assert (
        recovered.title_en == "Cancel an eSIM"
        and recovered.title_zh_hans == "注销 eSIM"
    )
    assert steps_of(recovered) == [
        ("第1步", "Step 1", "步骤1说明"),
        ("第2步", "Step 2", "步骤2说明"),
    ]
    assert recovered.faqs.get().answer_en == "1 to 7 working days"
    assert recovered.status == Article.Status.DRAFT
    assert services.deleted_articles(tenant=in_a) == []


def test_deleted_articles_and_recover_are_per_tenant(tenant_a, tenant_b):
    a = make_article(tenant_a)
    make_article(tenant_b, "b-live")
    b_gone = make_article(tenant_b, "b-gone")
    with tenant_context(tenant_b):
        services.article_delete(article=b_gone, user=None)
        [b_version] = services.deleted_articles(tenant=tenant_b)
    with tenant_context(tenant_a):
        # tenant B's live and deleted articles are not "deleted" for tenant A
        assert services.deleted_articles(tenant=tenant_a) == []
        with pytest.raises(Version.DoesNotExist):
            services.article_recover(version_id=b_version.pk, user=None)
    assert Article.unscoped.filter(pk=a.pk).exists()
    assert not Article.unscoped.filter(slug="b-gone").exists()


def test_a_revision_made_outside_the_services_is_tagged_with_its_tenant(in_a):
    article = make_article(in_a)
    with reversion.create_revision():
        article.title_en = "admin edit"
        article.save()
    revision = Revision.objects.order_by("-pk").first()
    assert revision.meta.tenant == in_a
    assert revision.meta.article_id == article.pk


def test_deleting_a_carrier_through_the_service_keeps_a_version_to_recover(in_a):
    from tests.factories import make_carrier

    manager = make_user("boss", tenant=in_a, role=Membership.Role.MANAGER)
    carrier = make_carrier(in_a, slug="gone-mobile")
    pk = carrier.pk
    services.settings_object_delete(obj=carrier, user=manager)
    version = Version.objects.get_deleted(type(carrier)).get(object_id=str(pk))
    assert version.revision.meta.tenant_id == in_a.pk
    assert version.revision.user == manager
    version.revision.revert()
    assert type(carrier).objects.get(pk=pk).slug == "gone-mobile"
