"""The catalogue admin: carriers with channels, card types, synonym groups.

Every save and delete goes through the catalogue services: one revision
tagged with the tenant, the manager role, and a form shown again (with what
was typed) when the service refuses.
"""

from __future__ import annotations

import pytest
from django.test import Client
from reversion.models import Revision

from guides.models import CardType, Carrier, Channel, Membership, SynonymGroup
from guides.tenancy import tenant_context
from tests.factories import (
    CardTypeFactory,
    CarrierFactory,
    SynonymGroupFactory,
    make_article,
    make_user,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
SYNONYMS = "/admin/guides/synonymgroup/"


@pytest.fixture
def manager(tenant_a):
    return make_user(tenant=tenant_a, role=Membership.Role.MANAGER)


def login(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


# --- synonym terms (issue 11, finding 9) --------------------------------------


@pytest.mark.parametrize(
    "terms",
    [
        "[1, 2]",
        '[["a", "b"]]',
        "123",
        '[null, "x"]',
        '{"a": "b", "c": "d"}',
        '"注销"',
        '["注销"]',
        '["注销", "  "]',
        "[]",
    ],
)
def test_synonym_terms_that_are_not_a_list_of_words_are_refused_on_the_form(
    manager, tenant_a, terms
):
    client = login(manager)
    data = form_data(client.get(f"{SYNONYMS}add/", **HOST), "synonymgroup_form")
    data.update({"terms": terms, "_save": "Save"})
    response = client.post(f"{SYNONYMS}add/", data, **HOST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page
    assert form_data(response, "synonymgroup_form")["terms"] == terms
    with tenant_context(tenant_a):
        assert not SynonymGroup.objects.exists()


def test_a_list_of_words_is_saved_trimmed(manager, tenant_a):
    client = login(manager)
    data = form_data(client.get(f"{SYNONYMS}add/", **HOST), "synonymgroup_form")
    data.update({"terms": '[" 注销 ", "销户", "cancel"]', "_save": "Save"})
    response = client.post(f"{SYNONYMS}add/", data, **HOST)
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        assert list(SynonymGroup.objects.values_list("terms", flat=True)) == [
            ["注销", "销户", "cancel"]
        ]


def test_a_synonym_group_of_bad_terms_already_stored_lists_and_opens(manager, tenant_a):
    """Rows saved before the check (a dict, numbers) do not break the admin."""
    with tenant_context(tenant_a):
        bad = SynonymGroup.objects.create(tenant=tenant_a, terms=[1, 2])
        SynonymGroup.objects.create(tenant=tenant_a, terms={"a": "b"})
    client = login(manager)
    assert client.get(SYNONYMS, **HOST).status_code == 200
    assert client.get(f"{SYNONYMS}{bad.pk}/change/", **HOST).status_code == 200


# --- carriers with their channels ------------------------------------------------

CARRIERS = "/admin/guides/carrier/"


def carrier_form(client, url) -> dict:
    return form_data(client.get(url, **HOST), "carrier_form")


def add_channel(data: dict, index: int, value: str, **extra) -> None:
    data["channels-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"channels-{index}-sort_order": str(index),
            f"channels-{index}-kind": "hotline",
            f"channels-{index}-label_zh_hans": "客服热线",
            f"channels-{index}-label_en": "Hotline",
            f"channels-{index}-value": value,
            **{f"channels-{index}-{k}": v for k, v in extra.items()},
        }
    )


def test_a_carrier_and_its_channels_are_saved_in_one_tagged_revision(manager, tenant_a):
    client = login(manager)
    data = carrier_form(client, f"{CARRIERS}add/")
    data.update({"slug": "cmcc", "name_zh_hans": "中国移动", "name_en": "China Mobile"})
    add_channel(data, 0, "10086")
    add_channel(data, 1, "10085")
    before = Revision.objects.count()
    response = client.post(f"{CARRIERS}add/", {**data, "_save": "Save"}, **HOST)
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        carrier = Carrier.objects.get(slug="cmcc")
        assert list(carrier.channels.values_list("value", flat=True)) == [
            "10086",
            "10085",
        ]
    [revision] = Revision.objects.order_by("pk")[before:]
    assert (revision.meta.tenant_id, revision.user) == (tenant_a.pk, manager)
    kinds = sorted(v.content_type.model for v in revision.version_set.all())
    assert kinds == ["carrier", "channel", "channel"]
    assert "Added" in revision.get_comment()
    # change: rename, move the second channel first, delete the first
    data = carrier_form(client, f"{CARRIERS}{carrier.pk}/change/")
    data.update(
        {
            "name_en": "China Mobile Ltd",
            "channels-0-DELETE": "on",
            "channels-1-sort_order": "0",
            "channels-1-value": "10085-1",
            "_save": "Save",
        }
    )
    before = Revision.objects.count()
    response = client.post(f"{CARRIERS}{carrier.pk}/change/", data, **HOST)
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        carrier.refresh_from_db()
        assert carrier.name_en == "China Mobile Ltd"
        assert list(carrier.channels.values_list("value", "sort_order")) == [
            ("10085-1", 0)
        ]
    [revision] = Revision.objects.order_by("pk")[before:]
    assert revision.meta.tenant_id == tenant_a.pk
    assert revision.version_set.count() == 2  # the carrier and its one channel


def test_a_refused_carrier_keeps_the_form_and_writes_nothing(manager, tenant_a):
    """The slug is unique per tenant: the service's check, shown on the form."""
    CarrierFactory(tenant=tenant_a, slug="cmcc")
    client = login(manager)
    data = carrier_form(client, f"{CARRIERS}add/")
    data.update({"slug": "cmcc", "name_zh_hans": "重复的", "name_en": "Twice"})
    add_channel(data, 0, "12345")
    before = Revision.objects.count()
    response = client.post(f"{CARRIERS}add/", {**data, "_save": "Save"}, **HOST)
    assert response.status_code == 200
    assert "This slug is already used in this help center." in response.content.decode()
    shown = form_data(response, "carrier_form")
    assert (shown["name_en"], shown["channels-0-value"]) == ("Twice", "12345")
    assert Revision.objects.count() == before
    with tenant_context(tenant_a):
        assert Carrier.objects.count() == 1
        assert not Channel.objects.filter(value="12345").exists()


def _delete(client, url: str, pk: int, how: str):
    if how == "own page":
        return client.post(f"{url}{pk}/delete/", {"post": "yes"}, **HOST)
    data = {"action": "delete_selected", "_selected_action": [str(pk)], "post": "yes"}
    return client.post(url, data, **HOST)


@pytest.mark.parametrize("how", ["own page", "delete selected"])
def test_catalogue_deletes_go_through_the_services(
    manager, tenant_a, how, django_capture_on_commit_callbacks
):
    carrier = CarrierFactory(tenant=tenant_a, slug="gone-mobile")
    card = CardTypeFactory(tenant=tenant_a, slug="gone-card")
    group = SynonymGroupFactory(tenant=tenant_a)
    reader = Client()
    for path in ("/en/carriers/gone-mobile/", "/en/cards/gone-card/"):
        assert reader.get(path, HTTP_HOST="alpha.test").status_code == 200
    client = login(manager)
    before = Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        for url, obj in (
            (CARRIERS, carrier),
            ("/admin/guides/cardtype/", card),
            (SYNONYMS, group),
        ):
            response = _delete(client, url, obj.pk, how)
            assert response.status_code == 302, response.content.decode()[:2000]
    revisions = list(Revision.objects.order_by("pk")[before:])
    assert [(r.meta.tenant_id, r.user) for r in revisions] == [
        (tenant_a.pk, manager)
    ] * 3
    assert sorted(v.content_type.model for v in revisions[0].version_set.all()) == [
        "carrier",
        "channel",
    ]
    with tenant_context(tenant_a):
        assert not Carrier.objects.exists() and not Channel.objects.exists()
        assert not CardType.objects.exists() and not SynonymGroup.objects.exists()
    for path in ("/en/carriers/gone-mobile/", "/en/cards/gone-card/"):
        assert reader.get(path, HTTP_HOST="alpha.test").status_code == 404
    assert (
        "China Mobile"
        not in reader.get("/en/", HTTP_HOST="alpha.test").content.decode()
    )


def test_a_carrier_in_use_is_not_deleted(manager, tenant_a):
    carrier = CarrierFactory(tenant=tenant_a)
    make_article(tenant_a, carrier=carrier)
    client = login(manager)
    response = _delete(client, CARRIERS, carrier.pk, "own page")
    assert response.status_code == 200  # Django lists what protects it
    with tenant_context(tenant_a):
        assert Carrier.objects.filter(pk=carrier.pk).exists()


def test_editors_and_reviewers_look_but_do_not_change_the_catalogue(tenant_a):
    carrier = CarrierFactory(tenant=tenant_a)
    for role in (Membership.Role.EDITOR, Membership.Role.REVIEWER):
        client = login(make_user(tenant=tenant_a, role=role))
        assert client.get(CARRIERS, **HOST).status_code == 200
        data = {"slug": "new", "name_zh_hans": "新", "channels-TOTAL_FORMS": "0"}
        assert client.post(f"{CARRIERS}add/", data, **HOST).status_code == 403
        url = f"{CARRIERS}{carrier.pk}/delete/"
        assert client.post(url, {"post": "yes"}, **HOST).status_code == 403
    with tenant_context(tenant_a):
        assert list(Carrier.objects.all()) == [carrier]


def test_another_tenants_catalogue_is_exactly_404(manager, tenant_b):
    carrier = CarrierFactory(tenant=tenant_b)
    card = CardTypeFactory(tenant=tenant_b)
    group = SynonymGroupFactory(tenant=tenant_b)
    client = login(manager)
    for url, pk in (
        (CARRIERS, carrier.pk),
        ("/admin/guides/cardtype/", card.pk),
        (SYNONYMS, group.pk),
    ):
        assert client.get(f"{url}{pk}/change/", **HOST).status_code == 404
        response = client.post(f"{url}{pk}/delete/", {"post": "yes"}, **HOST)
        assert response.status_code == 404
        response = _delete(client, url, pk, "delete selected")
        assert response.status_code == 302  # nothing selected in this tenant
    assert Carrier.unscoped.filter(pk=carrier.pk).exists()
    assert CardType.unscoped.filter(pk=card.pk).exists()
    assert SynonymGroup.unscoped.filter(pk=group.pk).exists()


# --- channel usage (issue 12) ---------------------------------------------------


def test_each_channel_shows_how_many_procedures_use_it_before_saving(manager, tenant_a):
    carrier = CarrierFactory(tenant=tenant_a, slug="cmcc")
    with tenant_context(tenant_a):
        hotline = carrier.channels.get()
        app = Channel.objects.create(
            tenant=tenant_a, carrier=carrier, kind="app", value="App", sort_order=1
        )
        for slug in ("one", "two"):
            make_article(
                tenant_a,
                slug,
                carrier=carrier,
                parts={"steps": [{"title_zh_hans": "打", "channel": hotline}] * 2},
            )
    page = login(manager).get(f"{CARRIERS}{carrier.pk}/change/", **HOST)
    text = page.content.decode()
    assert "used in 2 procedures" in text  # two steps of one article count once
    assert "used in 0 procedures" in text  # the app
    assert app.pk


def test_the_channel_usage_costs_one_query_for_all_channels(manager, tenant_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    carrier = CarrierFactory(tenant=tenant_a, slug="cmcc")
    client = login(manager)
    url = f"{CARRIERS}{carrier.pk}/change/"
    client.get(url, **HOST)
    with CaptureQueriesContext(connection) as one:
        client.get(url, **HOST)
    with tenant_context(tenant_a):
        for n in range(1, 4):
            Channel.objects.create(
                tenant=tenant_a, carrier=carrier, kind="sms", value=str(n), sort_order=n
            )
    client.get(url, **HOST)
    with CaptureQueriesContext(connection) as four:
        client.get(url, **HOST)
    assert len(four.captured_queries) == len(one.captured_queries)
