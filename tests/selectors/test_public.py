"""guides.selectors.public: what the readers' pages read.

Every selector reads the current tenant's rows only, answers another tenant's
slug as a missing one, refuses to run outside a tenant context, and costs a
fixed number of queries however many rows it returns.
"""

from __future__ import annotations

import pytest

from guides import services
from guides.models import Publication
from guides.selectors import public
from guides.tenancy import TenantContextMissing, tenant_context
from tests.factories import make_article, make_card_type, make_carrier

pytestmark = pytest.mark.django_db


def publish(tenant, slug: str, **fields):
    """Publish a new article ``slug`` in ``tenant``; return its publication."""
    article = make_article(tenant, slug, publish=True, **fields)
    with tenant_context(tenant):
        return Publication.objects.get(article=article)


def vote(publication, *, helpful: bool, times: int = 1) -> None:
    """Answer "Was this helpful?" ``times`` times, from different readers."""
    with tenant_context(publication.tenant):
        for n in range(times):
            services.feedback_submit(
                publication=publication,
                language="en",
                helpful=helpful,
                comment="",
                client_address=f"192.0.2.{n}",
            )


def slugs(cards) -> list[str]:
    return [card.slug for card in cards]


def cards(tenant, **kwargs):
    kwargs.setdefault("language", "en")
    kwargs.setdefault("fallback", "zh-hans")
    with tenant_context(tenant):
        return public.publication_cards(**kwargs)


# --- publication_cards ---------------------------------------------------------------


def test_cards_list_the_tenants_publications_newest_first(tenant_a, tenant_b):
    """Drafts and the other tenant's publications (even of the same slug) stay out."""
    mobile = make_carrier(tenant_a)
    esim = make_card_type(tenant_a)
    publish(tenant_a, "first", carrier=mobile, card_type=esim)
    publish(tenant_a, "second", title_en="Second", summary_en="The second one")
    make_article(tenant_a, "draft")
    publish(tenant_b, "second", title_en="Beta's second")
    listed = cards(tenant_a)
    assert slugs(listed) == ["second", "first"]
    second, first = listed
    assert (second.title, second.summary) == ("Second", "The second one")
    assert second.url == "/en/guides/second/"
    assert (second.carrier_slug, second.carrier_name) == (None, "")
    assert (first.carrier_slug, first.carrier_name) == ("china-mobile", "China Mobile")
    assert (first.card_type_slug, first.card_type_name) == ("esim", "eSIM")
    assert first.published_at < second.published_at
    assert slugs(cards(tenant_b)) == ["second"]
    assert cards(tenant_b)[0].title == "Beta's second"


def test_cards_leave_out_publications_without_the_language(tenant_a):
    """An article published in Chinese only is listed in Chinese, not in English."""
    publish(tenant_a, "both")
    publish(tenant_a, "chinese-only", title_en="", summary_en="")
    assert slugs(cards(tenant_a)) == ["both"]
    chinese = cards(tenant_a, language="zh-hans")
    assert slugs(chinese) == ["chinese-only", "both"]
    assert chinese[0].title == "注销 eSIM"
    assert chinese[0].url == "/zh-hans/guides/chinese-only/"


def test_carrier_and_card_type_names_fall_back_to_the_fallback_then_the_slug(
    tenant_a,
):
    with tenant_context(tenant_a):
        unnamed = services.carrier_save(
            carrier=public.Carrier(slug="unnamed", name_zh_hans="无名"),
            user=None,
            channels=[],
        )
    publish(tenant_a, "a", carrier=unnamed)
    assert cards(tenant_a)[0].carrier_name == "无名"
    assert cards(tenant_a, fallback="en")[0].carrier_name == "unnamed"


def test_cards_filter_by_carrier_and_card_type_and_sort_the_catalogue(tenant_a):
    mobile, unicom = make_carrier(tenant_a), make_carrier(tenant_a, "china-unicom")
    esim, data = make_card_type(tenant_a), make_card_type(tenant_a, "data-card")
    publish(tenant_a, "b-esim", carrier=mobile, card_type=esim)
    publish(tenant_a, "a-esim", carrier=unicom, card_type=esim)
    publish(tenant_a, "c-data", carrier=mobile, card_type=data)
    assert slugs(cards(tenant_a, carrier_id=mobile.pk)) == ["c-data", "b-esim"]
    assert slugs(cards(tenant_a, card_type_id=esim.pk)) == ["a-esim", "b-esim"]
    both = cards(tenant_a, carrier_id=mobile.pk, card_type_id=esim.pk)
    assert slugs(both) == ["b-esim"]
    # card types by sort order then slug (both 0 here), then titles by slug
    assert slugs(cards(tenant_a, order="catalog")) == ["c-data", "a-esim", "b-esim"]
    assert slugs(cards(tenant_a, limit=2)) == ["c-data", "a-esim"]


def test_popular_counts_only_helpful_votes_of_the_tenant(tenant_a, tenant_b):
    """Most "yes" first; "no" votes and the other tenant's votes do not count."""
    liked = publish(tenant_a, "liked")
    disliked = publish(tenant_a, "disliked")
    publish(tenant_a, "quiet")
    vote(liked, helpful=True, times=2)
    vote(disliked, helpful=False, times=3)
    vote(disliked, helpful=True)
    beta = publish(tenant_b, "quiet")
    vote(beta, helpful=True, times=5)
    assert slugs(cards(tenant_a, order="popular")) == ["liked", "disliked", "quiet"]


def test_related_shares_a_card_type_or_carrier_and_leaves_itself_out(tenant_a):
    mobile, unicom = make_carrier(tenant_a), make_carrier(tenant_a, "china-unicom")
    esim, data = make_card_type(tenant_a), make_card_type(tenant_a, "data-card")
    this = publish(tenant_a, "this", carrier=mobile, card_type=esim)
    publish(tenant_a, "same-carrier", carrier=mobile, card_type=data)
    publish(tenant_a, "same-card", carrier=unicom, card_type=esim)
    publish(tenant_a, "unrelated", carrier=unicom, card_type=data)
    alone = publish(tenant_a, "alone")
    assert set(slugs(cards(tenant_a, related_to=this))) == {
        "same-carrier",
        "same-card",
    }
    assert cards(tenant_a, related_to=alone) == []


def test_an_unknown_language_lists_nothing_without_a_query(
    tenant_a, django_assert_num_queries
):
    publish(tenant_a, "a")
    with django_assert_num_queries(0):
        assert cards(tenant_a, language="fr") == []
        assert cards(tenant_a, fallback="xx") == []


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("order", ["recent", "popular", "catalog"])
def test_cards_cost_one_query_whatever_their_number(
    tenant_a, django_assert_num_queries, count, order
):
    mobile, esim = make_carrier(tenant_a), make_card_type(tenant_a)
    for n in range(count):
        publish(tenant_a, f"article-{n}", carrier=mobile, card_type=esim, steps=n + 1)
    with tenant_context(tenant_a), django_assert_num_queries(1):
        listed = public.publication_cards(
            language="en", fallback="zh-hans", order=order
        )
    assert len(listed) == count


def test_selectors_refuse_to_run_outside_a_tenant_context(tenant_a):
    publish(tenant_a, "a")
    for read in (
        lambda: public.publication_cards(language="en", fallback="en"),
        lambda: public.publication_page(slug="a", language="en"),
        lambda: public.publication_get(slug="a"),
        public.carrier_list,
        public.card_type_list,
        lambda: public.carrier_get(slug="china-mobile"),
        lambda: public.card_type_get(slug="esim"),
    ):
        with pytest.raises(TenantContextMissing):
            read()


# --- carriers and card types -----------------------------------------------------


def test_carriers_and_card_types_are_the_tenants_in_display_order(
    tenant_a, tenant_b, django_assert_num_queries
):
    make_carrier(tenant_a, "b-carrier")
    make_carrier(tenant_a, "a-carrier")
    make_carrier(tenant_b, "beta-carrier")
    make_card_type(tenant_a, "esim")
    make_card_type(tenant_b, "beta-card")
    with tenant_context(tenant_a):
        with django_assert_num_queries(1):
            assert [c.slug for c in public.carrier_list()] == [
                "a-carrier",
                "b-carrier",
            ]
        with django_assert_num_queries(1):
            assert [c.slug for c in public.card_type_list()] == ["esim"]


def test_another_tenants_carrier_or_card_type_is_not_found(
    tenant_a, tenant_b, django_assert_num_queries
):
    mine = make_carrier(tenant_a, "mine")
    make_carrier(tenant_b, "theirs")
    make_card_type(tenant_b, "their-card")
    with tenant_context(tenant_a), django_assert_num_queries(3):
        assert public.carrier_get(slug="mine") == mine
        assert public.carrier_get(slug="theirs") is None
        assert public.card_type_get(slug="their-card") is None


def test_carrier_channels_in_display_order(tenant_a, django_assert_num_queries):
    channels = [
        {"kind": "hotline", "label_zh_hans": "热线", "value": "10086"},
        {"kind": "app", "label_zh_hans": "应用", "value": "https://app.test/"},
        {"kind": "store", "label_zh_hans": "门店", "value": "Any store"},
    ]
    with tenant_context(tenant_a):
        carrier = services.carrier_save(
            carrier=public.Carrier(slug="mobile", name_zh_hans="移动"),
            user=None,
            channels=channels,
        )
        with django_assert_num_queries(1):
            listed = public.carrier_channels(carrier=carrier)
    assert [c.value for c in listed] == ["10086", "https://app.test/", "Any store"]


# --- one publication ----------------------------------------------------------


def test_publication_get_finds_the_tenants_own_only(
    tenant_a, tenant_b, django_assert_num_queries
):
    mine = publish(tenant_a, "mine")
    theirs = publish(tenant_b, "theirs")
    with tenant_context(tenant_a), django_assert_num_queries(2):
        found = public.publication_get(slug="mine")
        assert public.publication_get(slug="theirs") is None
    assert (found.pk, found.article_id, found.tenant_id) == (
        mine.pk,
        mine.article_id,
        tenant_a.pk,
    )
    assert theirs.tenant_id == tenant_b.pk


def test_publication_page_reads_one_language_in_one_query(
    tenant_a, tenant_b, django_assert_num_queries
):
    mine = publish(tenant_a, "mine", title_en="Mine", steps=4)
    publish(tenant_b, "theirs")
    with tenant_context(tenant_a):
        with django_assert_num_queries(1):
            page = public.publication_page(slug="mine", language="en")
        with django_assert_num_queries(1):
            assert public.publication_page(slug="theirs", language="en") is None
        with django_assert_num_queries(1):
            hant = public.publication_page(slug="mine", language="zh-hant")
        with django_assert_num_queries(0):
            assert public.publication_page(slug="mine", language="xx") is None
    assert (page.id, page.slug, page.languages) == (mine.pk, "mine", ["zh-hans", "en"])
    assert page.content["title"] == "Mine"
    assert len(page.content["steps"]) == 4
    assert page.published_at == mine.published_at
    # a language the article was not published in: the row, no content
    assert hant is not None and hant.content is None
