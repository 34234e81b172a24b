"""Channels, carrier names and card-type names are shared facts.

Changing one through its service changes every page that shows it on the
next request, cached or not, while each publication keeps the article's own
text as it was published.
"""

from __future__ import annotations

import pytest

from guides import services
from guides.models import Membership
from guides.tenancy import tenant_context
from tests.factories import make_article, make_card_type, make_carrier, make_user

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "alpha.test"}
SLUGS = ("cancel-esim", "close-account")


@pytest.fixture
def catalogue(tenant_a):
    """A carrier whose hotline two published procedures use in their steps."""
    carrier = make_carrier(tenant_a, hotline="10086")
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        hotline = carrier.channels.get()
        for slug in SLUGS:
            make_article(
                tenant_a,
                slug,
                publish=True,
                carrier=carrier,
                card_type=card,
                parts={
                    "steps": [
                        {
                            "title_zh_hans": "拨打热线",
                            "title_en": "Call the hotline",
                            "channel": hotline,
                        }
                    ]
                },
            )
    return carrier, card, hotline


def pages() -> list[str]:
    return [
        f"/{lang}/guides/{slug}/" for lang in ("zh-hans", "en") for slug in SLUGS
    ] + ["/en/carriers/china-mobile/", "/zh-hans/carriers/china-mobile/"]


def test_a_channel_edit_reaches_every_page_that_shows_it(
    client, tenant_a, catalogue, django_capture_on_commit_callbacks
):
    """Failed before: procedure pages kept the hotline frozen at publish."""
    carrier, _card, hotline = catalogue
    manager = make_user(tenant=tenant_a, role=Membership.Role.MANAGER)
    for url in pages():
        client.get(url, **A)  # stored
        assert b"10086" in client.get(url, **A).content, url
    search = "/en/search/?q=nothingmatchesthis"
    assert b"10086" in client.get(search, **A).content
    # when a manager changes the hotline and renames the carrier
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        carrier.name_en = "CMCC"
        services.carrier_save(
            carrier=carrier,
            user=manager,
            channels=[{"id": hotline.pk, "value": "10088"}],
        )
    # then every page shows the new values on the next request
    for url in pages():
        page = client.get(url, **A).content
        assert b"10088" in page and b"10086" not in page, url
        assert b'href="tel:10088"' in page, url
    for slug in SLUGS:
        page = client.get(f"/en/guides/{slug}/", **A).content.decode()
        assert "CMCC" in page and "China Mobile" not in page
    page = client.get(search, **A).content
    assert b"10088" in page and b"10086" not in page


def test_the_articles_own_text_stays_as_published(client, tenant_a, catalogue):
    carrier, card, _hotline = catalogue
    manager = make_user(tenant=tenant_a, role=Membership.Role.MANAGER)
    with tenant_context(tenant_a):
        article = carrier.articles.get(slug="cancel-esim")
        article.title_en = "A draft title nobody reviewed"
        services.article_update(article=article, user=None)
        card.name_en = "Embedded SIM"
        services.card_type_save(card_type=card, user=manager)
    page = client.get("/en/guides/cancel-esim/", **A).content.decode()
    assert "Embedded SIM" in page
    assert "A draft title nobody reviewed" not in page
    assert "Call the hotline" in page


def test_a_deleted_channel_keeps_its_published_value(client, tenant_a, catalogue):
    carrier, _card, _hotline = catalogue
    manager = make_user(tenant=tenant_a, role=Membership.Role.MANAGER)
    with tenant_context(tenant_a):
        services.carrier_save(carrier=carrier, user=manager, channels=[])
    page = client.get("/en/guides/cancel-esim/", **A).content
    assert b"10086" in page
    assert b"<hc-" not in page


def test_the_channels_cost_one_query_per_generation(
    client, tenant_a, catalogue, django_assert_num_queries
):
    """A miss reads the tenant's channels once per content generation."""
    client.get("/en/", **A)  # the host and the generation are known
    # the publication with its current names, the channels, related procedures
    with django_assert_num_queries(3):
        client.get("/en/guides/cancel-esim/", **A)
    # another page of the same generation reuses this process's channels
    with django_assert_num_queries(2):
        client.get("/en/guides/close-account/", **A)
    # a hit costs nothing
    with django_assert_num_queries(0):
        client.get("/en/guides/close-account/", **A)
