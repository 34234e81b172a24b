"""A page miss of the article page reads a fixed number of rows (#17).

A miss is the publication in the page's language (one row, its snapshot
with the body rendered at publish) and the related procedures (one query):
two queries, whatever the article's size: steps, channels on every step,
requirements, tips and FAQs, in every language. The tenant's current
channels (shared facts, ``guides.publishing.body``) cost one more query the
first time a process needs them in each content generation, never per page.
"""

from __future__ import annotations

import pytest

from guides import services
from guides.models import Membership
from guides.tenancy import tenant_context
from tests.factories import make_article, make_card_type, make_carrier, make_user

pytestmark = pytest.mark.django_db

A = {"HTTP_HOST": "alpha.test"}


def big_parts(size: int, hotline) -> dict[str, list[dict]]:
    """``size`` of every part; each step names the hotline."""
    return {
        "steps": [
            {
                "title_zh_hans": f"第{n}步",
                "title_en": f"Step {n}",
                "body_zh_hans": f"拨打热线，步骤{n}说明",
                "body_en": f"Call the hotline, step {n}",
                "channel": hotline,
            }
            for n in range(1, size + 1)
        ],
        "requirements": [
            {"kind": "document", "text_zh_hans": f"证件{n}", "text_en": f"Paper {n}"}
            for n in range(size)
        ],
        "tips": [
            {"kind": "warning", "text_zh_hans": f"注意{n}", "text_en": f"Mind {n}"}
            for n in range(size)
        ],
        "faqs": [
            {
                "question_zh_hans": f"问题{n}？",
                "question_en": f"Question {n}?",
                "answer_zh_hans": f"回答{n}",
                "answer_en": f"Answer {n}",
            }
            for n in range(size)
        ],
    }


@pytest.fixture
def site(tenant_a):
    carrier = make_carrier(tenant_a, hotline="10086")
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        hotline = carrier.channels.get()
    for size in (1, 60):
        make_article(
            tenant_a,
            f"size-{size}",
            publish=True,
            carrier=carrier,
            card_type=card,
            title_en=f"Size {size}",
            parts=big_parts(size, hotline),
        )
    make_article(tenant_a, "sibling", publish=True, carrier=carrier)
    return carrier, hotline


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("size", [1, 60])
def test_a_miss_is_two_queries_whatever_the_size(
    client, site, language, size, django_assert_num_queries
):
    # The host and the channels of this content generation are known.
    client.get("/en/guides/sibling/", **A)
    client.get(f"/{language}/guides/size-1/?warm", **A)
    path = f"/{language}/guides/size-{size}/"
    # a page-cache miss: the publication in this language, related procedures
    with django_assert_num_queries(2):
        page = client.get(path, **A).content.decode()
    assert page.count('<li class="step"') == size
    assert page.count("10086") >= size  # every step's channel, current value
    assert f"/{language}/guides/sibling/" in page  # the related were read
    # a query string bypasses the page cache: still two
    with django_assert_num_queries(2):
        assert client.get(f"{path}?utm=x", **A).status_code == 200
    # a hit: nothing
    with django_assert_num_queries(0):
        assert client.get(path, **A).status_code == 200


def test_a_channel_change_costs_one_read_then_misses_are_two_again(
    client,
    tenant_a,
    site,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    carrier, hotline = site
    client.get("/en/guides/size-1/", **A)
    manager = make_user(tenant=tenant_a, role=Membership.Role.MANAGER)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        services.carrier_save(
            carrier=carrier,
            user=manager,
            channels=[{"id": hotline.pk, "kind": hotline.kind, "value": "12580"}],
        )
    client.get("/en/", **A)  # the new generation is known (no channels read)
    # the first miss of the new generation reads the channels once ...
    with django_assert_num_queries(3):
        page = client.get("/en/guides/size-60/", **A).content.decode()
    assert page.count("12580") >= 60 and "10086" not in page
    # ... and the next misses of that generation do not
    with django_assert_num_queries(2):
        page = client.get("/zh-hans/guides/size-60/?again", **A).content.decode()
    assert "12580" in page and "10086" not in page
