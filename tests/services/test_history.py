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


# --- a revert or recover restores content only (issue 11, finding 1) -----------


def test_every_article_field_is_either_restored_or_kept_by_a_revert():
    """A new field must be classified: content (restored) or kept (never)."""
    from guides.services.history import ARTICLE_CONTENT, ARTICLE_KEPT

    names = {
        getattr(f, "translated_field", f).name for f in Article._meta.concrete_fields
    }
    assert names == ARTICLE_CONTENT | ARTICLE_KEPT
    assert not ARTICLE_CONTENT & ARTICLE_KEPT
    for reviewer_only in ("status", "publish_at", "unpublish_at", "lock_version"):
        assert reviewer_only in ARTICLE_KEPT


def test_a_revert_restores_content_and_never_status_schedule_author_or_lock(in_a):
    # given: an editor's article, scheduled by a reviewer, then unscheduled
    from datetime import timedelta

    from django.utils import timezone

    author = make_user("author", tenant=in_a)
    editor = make_user("other-editor", tenant=in_a)
    reviewer = make_user("reviewer", tenant=in_a, role=Membership.Role.REVIEWER)
    article = make_article(in_a, user=author, steps=2)
    soon = timezone.now() + timedelta(days=1)
    services.article_submit(article=article, user=author)
    article.refresh_from_db()
    services.article_schedule(
        article=article,
        user=reviewer,
        publish_at=soon,
        unpublish_at=soon + timedelta(days=7),
    )
    scheduled = services.article_revisions(article=article).first()
    services.article_schedule(article=article, user=reviewer)
    services.article_update(
        article=article,
        user=editor,
        title_en="Edited later",
        parts={"steps": [*({"id": s.pk} for s in article.steps.all()), step(3)]},
    )
    article.refresh_from_db()
    lock = article.lock_version
    # when: an editor reverts to the scheduled revision
    restored = services.article_revert(
        article=article, user=editor, revision_id=scheduled.pk
    )
    # then: the text and parts come back, the schedule does not
    fresh = Article.objects.get(pk=article.pk)
    for obj in (restored, fresh):
        assert obj.title_en == "Cancel an eSIM"
        assert (obj.publish_at, obj.unpublish_at) == (None, None)
        assert obj.author == author
        assert obj.lock_version == lock + 1
        assert obj.status == Article.Status.DRAFT
    assert fresh.steps.count() == 2


def test_a_revert_keeps_the_schedule_a_reviewer_set_since(in_a):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(in_a)
    created = services.article_revisions(article=article).get()
    later = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    services.article_schedule(article=article, user=None, publish_at=later)
    services.article_update(article=article, user=None, title_en="v2")
    services.article_revert(article=article, user=None, revision_id=created.pk)
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.title_en == "Cancel an eSIM"
    assert fresh.publish_at == later


def test_a_recover_never_brings_back_a_schedule_or_a_status(in_a):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(in_a, publish=True)
    soon = timezone.now() + timedelta(days=1)
    services.article_schedule(article=article, user=None, unpublish_at=soon)
    article.refresh_from_db()
    lock = article.lock_version
    services.article_delete(article=article, user=None)
    [version] = services.deleted_articles(tenant=in_a)
    recovered = services.article_recover(version_id=version.pk, user=None)
    fresh = Article.objects.get(pk=recovered.pk)
    assert (fresh.publish_at, fresh.unpublish_at) == (None, None)
    assert fresh.status == Article.Status.DRAFT
    assert fresh.lock_version > lock
    assert not Publication.objects.filter(article=fresh).exists()


def test_a_revert_records_one_revision_and_runs_its_effects_on_commit(
    in_a, django_capture_on_commit_callbacks
):
    article = make_article(in_a, publish=True)
    created = services.article_revisions(article=article).last()
    services.article_update(article=article, user=None, title_en="v2")
    before = Revision.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        services.article_revert(article=article, user=None, revision_id=created.pk)
    assert callbacks, "effects run on commit"
    assert Revision.objects.count() == before + 1
    revision = Revision.objects.order_by("-pk").first()
    assert (revision.meta.tenant, revision.meta.action) == (in_a, "revert")


# --- conflicts answer a message, never an IntegrityError (finding 7) ------------


def state_of(article):
    fresh = Article.unscoped.get(pk=article.pk)
    return (
        fresh.slug,
        fresh.title_en,
        fresh.carrier_id,
        fresh.lock_version,
        list(fresh.steps.values_list("pk", "title_en")),
        Revision.objects.count(),
    )


def test_a_revert_to_a_slug_another_article_now_uses_is_refused_plainly(in_a):
    article = make_article(in_a, "first-slug")
    created = services.article_revisions(article=article).get()
    services.article_update(
        article=article, user=None, slug="second-slug", parts={"steps": [step(8)]}
    )
    other = make_article(in_a, "first-slug", title_en="The other one")
    before = state_of(article)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.article_revert(article=article, user=None, revision_id=created.pk)
    message = " ".join(refused.value.messages)
    assert "first-slug" in message and "The other one" in message
    assert state_of(article) == before
    assert Article.objects.get(pk=other.pk).slug == "first-slug"


def test_a_revert_to_a_revision_whose_carrier_was_deleted_is_refused_plainly(in_a):
    from tests.factories import make_carrier

    old = make_carrier(in_a, slug="old-mobile")
    new = make_carrier(in_a, slug="new-mobile")
    article = make_article(in_a, carrier=old)
    created = services.article_revisions(article=article).get()
    services.article_update(article=article, user=None, carrier=new, title_en="v2")
    services.settings_object_delete(obj=old, user=None)
    before = state_of(article)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.article_revert(article=article, user=None, revision_id=created.pk)
    assert "China Mobile" in " ".join(refused.value.messages)
    assert "deleted" in " ".join(refused.value.messages)
    assert state_of(article) == before


def test_a_revert_to_a_revision_whose_card_type_was_deleted_is_refused(in_a):
    from guides.models import CardType
    from tests.factories import make_card_type

    esim = make_card_type(in_a, slug="esim")
    article = make_article(in_a, card_type=esim)
    created = services.article_revisions(article=article).get()
    services.article_update(article=article, user=None, card_type=None)
    CardType.objects.filter(pk=esim.pk).delete()
    before = state_of(article)
    with pytest.raises(ValidationError):
        services.article_revert(article=article, user=None, revision_id=created.pk)
    assert state_of(article) == before


def test_a_revert_drops_a_steps_channel_that_was_deleted_since(in_a):
    from guides.models import Channel
    from tests.factories import make_carrier

    carrier = make_carrier(in_a)
    hotline = Channel.objects.get(carrier=carrier)
    article = make_article(in_a, carrier=carrier, steps=0)
    services.article_update(
        article=article, user=None, parts={"steps": [step(1, channel=hotline)]}
    )
    with_channel = services.article_revisions(article=article).first()
    services.article_update(article=article, user=None, parts={"steps": []})
    Channel.objects.filter(pk=hotline.pk).delete()
    services.article_revert(article=article, user=None, revision_id=with_channel.pk)
    [restored] = Article.objects.get(pk=article.pk).steps.all()
    assert (restored.title_en, restored.channel_id) == ("Step 1", None)


def test_a_recover_after_the_slug_was_reused_is_refused_then_takes_a_new_slug(in_a):
    article = make_article(in_a, "reused", title_en="Deleted one")
    pk = article.pk
    services.article_delete(article=article, user=None)
    make_article(in_a, "reused", title_en="Newcomer")
    [version] = services.deleted_articles(tenant=in_a)
    revisions = Revision.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.article_recover(version_id=version.pk, user=None)
    assert "reused" in " ".join(refused.value.messages)
    assert "Newcomer" in " ".join(refused.value.messages)
    assert not Article.objects.filter(pk=pk).exists()
    assert Revision.objects.count() == revisions
    # a slug of the editor's choice brings it back
    recovered = services.article_recover(
        version_id=version.pk, user=None, slug="reused-old"
    )
    assert (recovered.pk, recovered.slug, recovered.title_en) == (
        pk,
        "reused-old",
        "Deleted one",
    )
    assert recovered.steps.count() == 3


def test_a_recover_whose_carrier_was_deleted_is_refused_plainly(in_a):
    from tests.factories import make_carrier

    carrier = make_carrier(in_a, slug="gone-mobile")
    article = make_article(in_a, carrier=carrier)
    pk = article.pk
    services.article_delete(article=article, user=None)
    services.settings_object_delete(obj=carrier, user=None)
    [version] = services.deleted_articles(tenant=in_a)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.article_recover(version_id=version.pk, user=None)
    assert "China Mobile" in " ".join(refused.value.messages)
    assert not Article.objects.filter(pk=pk).exists()


def test_a_recover_whose_author_was_deleted_comes_back_without_author(in_a):
    author = make_user("leaving", tenant=in_a)
    article = make_article(in_a, user=author)
    services.article_delete(article=article, user=None)
    author.delete()
    [version] = services.deleted_articles(tenant=in_a)
    recovered = services.article_recover(version_id=version.pk, user=None)
    assert Article.objects.get(pk=recovered.pk).author_id is None


def test_a_recover_of_an_imported_article_whose_source_was_reimported(in_a):
    """The import source is unique: the newer import keeps it."""
    article = make_article(in_a, "imported")
    Article.objects.filter(pk=article.pk).update(source_key="file.md#1")
    article.refresh_from_db()
    services.article_delete(article=article, user=None)
    again = make_article(in_a, "imported-again")
    Article.objects.filter(pk=again.pk).update(source_key="file.md#1")
    [version] = services.deleted_articles(tenant=in_a)
    recovered = services.article_recover(version_id=version.pk, user=None)
    assert Article.objects.get(pk=recovered.pk).source_key == ""
    assert Article.objects.get(pk=again.pk).source_key == "file.md#1"


# --- settings objects: revert and recover through the service (finding 6) ---------


@pytest.fixture
def manager(in_a):
    return make_user("manager", tenant=in_a, role=Membership.Role.MANAGER)


def carrier_with_a_hotline(manager):
    from guides.models import Carrier, Channel

    carrier = services.settings_object_save(
        obj=Carrier(slug="mobile", name_zh_hans="移动", name_en="Mobile"),
        user=manager,
    )
    hotline = services.settings_object_save(
        obj=Channel(carrier=carrier, kind="hotline", label_zh_hans="热线", value="1"),
        user=manager,
    )
    # this version holds the carrier and its channels
    services.settings_object_save(obj=carrier, user=manager)
    return carrier, hotline.pk, Version.objects.get_for_object(carrier).first()


def test_a_settings_revert_restores_the_object_and_its_rows_in_one_revision(
    in_a, manager, django_capture_on_commit_callbacks
):
    from guides.cache.generations import content_generation
    from guides.models import Carrier, Channel

    carrier, hotline_pk, first = carrier_with_a_hotline(manager)
    carrier.name_en = "Renamed"
    services.settings_object_save(obj=carrier, user=manager)
    services.settings_object_delete(
        obj=Channel.objects.get(pk=hotline_pk), user=manager
    )
    services.settings_object_save(
        obj=Channel(carrier=carrier, kind="app", label_zh_hans="应用", value="2"),
        user=manager,
    )
    generation = content_generation(in_a.pk)
    revisions = Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        restored = services.settings_object_revert(
            model=Carrier, object_id=carrier.pk, version_id=first.pk, user=manager
        )
    assert Carrier.objects.get(pk=carrier.pk).name_en == restored.name_en == "Mobile"
    assert list(Channel.objects.values_list("pk", "value")) == [(hotline_pk, "1")]
    assert Revision.objects.count() == revisions + 1
    revision = Revision.objects.order_by("-pk").first()
    assert (revision.meta.tenant, revision.user) == (in_a, manager)
    kinds = sorted(v.content_type.model for v in revision.version_set.all())
    assert kinds == ["carrier", "channel"]
    assert content_generation(in_a.pk) != generation


def test_a_settings_revert_takes_only_that_models_version_of_that_object(in_a, manager):
    from django.core.exceptions import PermissionDenied

    from guides.models import CardType, Carrier

    carrier, _hotline, first = carrier_with_a_hotline(manager)
    other = services.settings_object_save(
        obj=Carrier(slug="other", name_zh_hans="其他"), user=manager
    )
    card = services.settings_object_save(
        obj=CardType(slug="esim", name_zh_hans="eSIM"), user=manager
    )
    article = make_article(in_a)
    article_version = Version.objects.get_for_object(article).first()
    editor = make_user("editor", tenant=in_a)
    before = Revision.objects.count()
    for model, object_id, version in (
        (Carrier, other.pk, first),
        (CardType, card.pk, first),
        (Carrier, carrier.pk, article_version),
    ):
        with pytest.raises(Version.DoesNotExist):
            services.settings_object_revert(
                model=model, object_id=object_id, version_id=version.pk, user=manager
            )
    with pytest.raises(PermissionDenied):
        services.settings_object_revert(
            model=Carrier, object_id=carrier.pk, version_id=first.pk, user=editor
        )
    assert Revision.objects.count() == before


def test_a_settings_revert_to_a_slug_taken_since_is_refused(in_a, manager):
    from guides.models import Carrier

    carrier, _hotline, first = carrier_with_a_hotline(manager)
    carrier.slug = "mobile-new"
    services.settings_object_save(obj=carrier, user=manager)
    services.settings_object_save(
        obj=Carrier(slug="mobile", name_zh_hans="新移动"), user=manager
    )
    with pytest.raises(ValidationError):
        services.settings_object_revert(
            model=Carrier, object_id=carrier.pk, version_id=first.pk, user=manager
        )
    assert Carrier.objects.get(pk=carrier.pk).slug == "mobile-new"


def test_a_tenant_revert_keeps_the_slug_and_brings_hosts_back_unverified(in_a, manager):
    from django.utils import timezone

    from guides.models import Domain, Tenant

    Domain.objects.create(
        tenant=in_a,
        host="old.alpha.test",
        verified_at=timezone.now(),
        verified_via="grant",
    )
    renamed = Domain.objects.create(tenant=in_a, host="unproved.alpha.test")
    tenant = Tenant.objects.get(pk=in_a.pk)
    services.settings_object_save(obj=tenant, user=manager)
    first = Version.objects.get_for_object(tenant).first()
    Domain.objects.filter(host="old.alpha.test").delete()
    # a row renamed and proved since: its proof is of the new name only
    Domain.objects.filter(pk=renamed.pk).update(
        host="proved.alpha.test", verified_at=timezone.now(), verified_via="dns"
    )
    tenant.name = "Renamed"
    services.settings_object_save(obj=tenant, user=manager)
    Tenant.objects.filter(pk=tenant.pk).update(slug="alpha-later")  # a superuser
    verified = dict(
        Domain.objects.filter(tenant=tenant).values_list("host", "verified_at")
    )
    services.settings_object_revert(
        model=Tenant, object_id=tenant.pk, version_id=first.pk, user=manager
    )
    fresh = Tenant.objects.get(pk=tenant.pk)
    assert (fresh.name, fresh.slug) == ("Alpha", "alpha-later")
    back = Domain.objects.get(host="old.alpha.test")
    assert (back.verified_at, back.verified_via) == (None, "")
    renamed.refresh_from_db()
    assert (renamed.host, renamed.verified_at) == ("unproved.alpha.test", None)
    for host, verified_at in verified.items():
        if host != "proved.alpha.test":
            assert Domain.objects.get(host=host).verified_at == verified_at


def test_a_membership_revert_never_demotes_the_last_manager(in_a, manager):
    other = make_user("second", tenant=in_a, role=Membership.Role.MANAGER)
    mine = Membership.objects.get(user=manager)
    mine.role = Membership.Role.EDITOR
    services.settings_object_save(obj=mine, user=other)
    as_editor = Version.objects.get_for_object(mine).first()
    mine.role = Membership.Role.MANAGER
    services.settings_object_save(obj=mine, user=other)
    services.membership_set(tenant=in_a, user=other, role=Membership.Role.EDITOR)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.settings_object_revert(
            model=Membership, object_id=mine.pk, version_id=as_editor.pk, user=manager
        )
    assert "last manager" in refused.value.messages[0]
    assert Membership.objects.get(pk=mine.pk).role == Membership.Role.MANAGER


def test_a_deleted_card_type_is_recovered_through_the_service(in_a, manager):
    from guides.models import CardType

    card = services.settings_object_save(
        obj=CardType(slug="esim", name_zh_hans="eSIM", name_en="eSIM"), user=manager
    )
    pk = card.pk
    services.settings_object_delete(obj=card, user=manager)
    version = Version.objects.get_deleted(CardType).get(object_id=str(pk))
    recovered = services.settings_object_recover(
        model=CardType, version_id=version.pk, user=manager
    )
    assert (recovered.pk, CardType.objects.get(pk=pk).slug) == (pk, "esim")
    assert Revision.objects.order_by("-pk").first().meta.tenant == in_a
    # a live object is not "recovered" over
    with pytest.raises(Version.DoesNotExist):
        services.settings_object_recover(
            model=CardType, version_id=version.pk, user=manager
        )
