"""Shared facts in the API and the renditions: always the current values.

Channels, carrier names and card-type names are shared facts (see
``guides.publishing.body``): the article pages show them as they are now.
The API's procedure detail, the ``.md`` rendition and ``llms.txt`` must too,
on the next request after a change, stored responses included.
"""

from __future__ import annotations

import json

import pytest

from guides import services
from guides.models import Membership
from guides.tenancy import tenant_context
from tests.api.conftest import A
from tests.factories import make_article, make_card_type, make_carrier, make_user

pytestmark = pytest.mark.django_db

DETAIL = "/api/v1/procedures/cancel-esim?lang=en"
MARKDOWN = "/en/guides/cancel-esim.md"
LLMS = "/en/llms.txt"


@pytest.fixture
def catalogue(tenant_a, django_capture_on_commit_callbacks):
    """A procedure whose step uses the carrier's hotline."""
    carrier = make_carrier(tenant_a, hotline="10086")
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a), django_capture_on_commit_callbacks(execute=True):
        hotline = carrier.channels.get()
        make_article(
            tenant_a,
            "cancel-esim",
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


def get(client, path, **extra):
    return client.get(path, HTTP_HOST=A, **extra)


def change_facts(tenant, carrier, card, hotline, capture):
    manager = make_user(tenant=tenant, role=Membership.Role.MANAGER)
    with tenant_context(tenant), capture(execute=True):
        carrier.name_en = "CMCC"
        services.carrier_save(
            carrier=carrier,
            user=manager,
            channels=[{"id": hotline.pk, "value": "10088"}],
        )
        card.name_en = "Embedded SIM"
        services.card_type_save(card_type=card, user=manager)


def test_the_api_detail_shows_the_current_facts(
    client, tenant_a, catalogue, django_capture_on_commit_callbacks
):
    """Failed before: the detail kept the carrier and card-type names and the
    step's channel as they were at publish."""
    carrier, card, hotline = catalogue
    before = json.loads(get(client, DETAIL).content)  # stored
    assert before["steps"][0]["channel"]["value"] == "10086"
    change_facts(tenant_a, carrier, card, hotline, django_capture_on_commit_callbacks)
    data = json.loads(get(client, DETAIL).content)
    assert data["carrier"]["name"] == "CMCC"
    assert data["card_type"]["name"] == "Embedded SIM"
    assert data["steps"][0]["channel"]["value"] == "10088"
    assert data["steps"][0]["channel"]["href"] == "tel:10088"
    assert [c["value"] for c in data["channels"]] == ["10088"]
    text = json.dumps(data, ensure_ascii=False)
    assert "10086" not in text
    # the procedure's own text stays as it was published
    assert data["steps"][0]["title"] == "Call the hotline"


def test_the_markdown_shows_the_current_facts(
    client, tenant_a, catalogue, django_capture_on_commit_callbacks
):
    carrier, card, hotline = catalogue
    assert "10086" in get(client, MARKDOWN).content.decode()  # stored
    change_facts(tenant_a, carrier, card, hotline, django_capture_on_commit_callbacks)
    text = get(client, MARKDOWN).content.decode()
    assert "10088" in text and "10086" not in text
    assert "CMCC" in text and "China Mobile" not in text
    assert "Embedded SIM" in text


def test_llms_txt_shows_the_current_carrier_name(
    client, tenant_a, catalogue, django_capture_on_commit_callbacks
):
    carrier, card, hotline = catalogue
    assert "China Mobile" in get(client, LLMS).content.decode()  # stored
    change_facts(tenant_a, carrier, card, hotline, django_capture_on_commit_callbacks)
    text = get(client, LLMS).content.decode()
    assert "## CMCC" in text and "China Mobile" not in text


def test_a_deleted_channel_keeps_its_published_value_in_the_api(
    client, tenant_a, catalogue
):
    carrier, _card, _hotline = catalogue
    manager = make_user(tenant=tenant_a, role=Membership.Role.MANAGER)
    with tenant_context(tenant_a):
        services.carrier_save(carrier=carrier, user=manager, channels=[])
    data = json.loads(get(client, DETAIL).content)
    assert data["steps"][0]["channel"]["value"] == "10086"
    assert data["channels"] == []
