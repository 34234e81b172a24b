"""The catalogue services: carriers with channels, card types, synonym groups.

Each call: the manager role, one transaction, one revision tagged with the
tenant, another tenant's row answered as missing, the pages' generation bumped in the same
transaction.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Revision, Version

from guides import services
from guides.models import (
    CardType,
    Carrier,
    Channel,
    Membership,
    SynonymGroup,
)
from guides.services import catalog as catalog_services
from guides.tenancy import tenant_context
from tests.factories import (
    CardTypeFactory,
    CarrierFactory,
    SynonymGroupFactory,
    make_article,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant_a):
    return make_user(tenant=tenant_a, role=Membership.Role.MANAGER)


@pytest.fixture
def bumps(monkeypatch):
    """Record the content-generation bumps the catalogue services make."""
    calls: list[int] = []
    monkeypatch.setattr(catalog_services, "bump_content_generation", calls.append)
    return calls


def new_revisions(before: int):
    return list(Revision.objects.order_by("pk")[before:])


def hotline(value: str, **extra) -> dict:
    return {"kind": "hotline", "label_zh_hans": "热线", "value": value, **extra}


# --- saves ---------------------------------------------------------------------


def test_a_carrier_and_its_channels_are_one_tagged_revision(
    in_a, manager, bumps, django_capture_on_commit_callbacks
):
    before = Revision.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        carrier = services.carrier_save(
            carrier=Carrier(slug="cmcc", name_zh_hans="中国移动"),
            user=manager,
            channels=[hotline("10086"), hotline("10085", kind="sms")],
            comment="Added China Mobile",
        )
    [revision] = new_revisions(before)
    assert (revision.meta.tenant_id, revision.user) == (in_a.pk, manager)
    assert revision.get_comment() == "Added China Mobile"
    kinds = sorted(v.content_type.model for v in revision.version_set.all())
    assert kinds == ["carrier", "channel", "channel"]
    assert carrier.tenant_id == in_a.pk
    assert list(carrier.channels.values_list("value", "sort_order")) == [
        ("10086", 0),
        ("10085", 1),
    ]
    # the pages' generation moves in the write's own transaction: nothing
    # about it waits for the commit, so nothing after the commit can lose it
    assert bumps == [in_a.pk]
    for callback in callbacks:
        callback()
    assert bumps == [in_a.pk]  # and nothing after the commit


def test_channels_are_updated_reordered_and_removed_in_one_revision(in_a, manager):
    carrier = CarrierFactory(tenant=in_a, slug="cmcc")
    first = carrier.channels.get()
    carrier.name_en = "China Mobile (new)"
    before = Revision.objects.count()
    services.carrier_save(
        carrier=carrier,
        user=manager,
        channels=[hotline("95555"), {"id": first.pk, "value": "10086-1"}],
    )
    [revision] = new_revisions(before)
    assert revision.version_set.count() == 3
    assert list(carrier.channels.values_list("pk", "value", "sort_order")) == [
        (carrier.channels.get(value="95555").pk, "95555", 0),
        (first.pk, "10086-1", 1),
    ]
    services.carrier_save(carrier=carrier, user=manager, channels=[])
    assert not carrier.channels.exists()
    # without channels, the channels stay as they are
    services.carrier_save(carrier=carrier, user=manager, channels=[hotline("1")])
    services.carrier_save(carrier=carrier, user=manager)
    assert carrier.channels.count() == 1


def test_a_channel_of_another_carrier_is_refused(in_a, manager, english):
    mine = CarrierFactory(tenant=in_a)
    other = CarrierFactory(tenant=in_a)
    theirs = other.channels.get()
    before = Revision.objects.count()
    with pytest.raises(ValidationError, match="has no channel with id"):
        services.carrier_save(
            carrier=mine, user=manager, channels=[{"id": theirs.pk, "value": "1"}]
        )
    assert Channel.objects.get(pk=theirs.pk).value == "10086"
    assert Revision.objects.count() == before


def test_an_invalid_carrier_is_refused_and_nothing_is_written(in_a, manager, english):
    CarrierFactory(tenant=in_a, slug="cmcc")
    before = Revision.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.carrier_save(
            carrier=Carrier(slug="cmcc", name_zh_hans="重复"),
            user=manager,
            channels=[hotline("10086")],
        )
    assert "This slug is already used in this help center." in refused.value.messages
    with pytest.raises(ValidationError):
        services.carrier_save(
            carrier=Carrier(slug="fine", name_zh_hans="好"),
            user=manager,
            channels=[hotline("")],
        )
    assert list(Carrier.objects.values_list("slug", flat=True)) == ["cmcc"]
    assert Revision.objects.count() == before


def test_card_types_and_synonym_groups_are_one_tagged_revision_each(
    in_a, manager, bumps, django_capture_on_commit_callbacks
):
    before = Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        card = services.card_type_save(
            card_type=CardType(slug="esim", name_zh_hans="eSIM"), user=manager
        )
    assert bumps == [in_a.pk]
    with django_capture_on_commit_callbacks(execute=True):
        group = services.synonym_group_save(
            synonym_group=SynonymGroup(terms=["注销", " 销户 "]), user=manager
        )
    # no page or search document holds synonyms: nothing to refresh
    assert bumps == [in_a.pk]
    assert group.terms == ["注销", "销户"]
    revisions = new_revisions(before)
    assert [(r.meta.tenant_id, r.user) for r in revisions] == [(in_a.pk, manager)] * 2
    assert [v.object_id for r in revisions for v in r.version_set.all()] == [
        str(card.pk),
        str(group.pk),
    ]


@pytest.mark.parametrize(
    "terms",
    [[1, 2], [["a", "b"]], 123, [None, "x"], {"a": "b"}, "注销", ["注销"], ["a", " "]],
)
def test_synonym_terms_must_be_a_list_of_words(in_a, manager, terms):
    before = Revision.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.synonym_group_save(
            synonym_group=SynonymGroup(terms=terms), user=manager
        )
    assert list(refused.value.message_dict) == ["terms"]
    assert not SynonymGroup.objects.exists()
    assert Revision.objects.count() == before


# --- deletes -------------------------------------------------------------------


def test_deletes_keep_a_tagged_revision_and_refresh_the_pages_with_the_commit(
    in_a, manager, bumps, django_capture_on_commit_callbacks
):
    carrier = CarrierFactory(tenant=in_a)
    card = CardTypeFactory(tenant=in_a)
    group = SynonymGroupFactory(tenant=in_a)
    bumps.clear()
    before = Revision.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        services.carrier_delete(carrier=carrier, user=manager)
        services.card_type_delete(card_type=card, user=manager)
        services.synonym_group_delete(synonym_group=group, user=manager)
    assert not Carrier.objects.exists() and not Channel.objects.exists()
    assert not CardType.objects.exists() and not SynonymGroup.objects.exists()
    revisions = new_revisions(before)
    assert [(r.meta.tenant_id, r.user) for r in revisions] == [(in_a.pk, manager)] * 3
    # the carrier's last revision holds its channel, so a recover brings both
    assert sorted(v.content_type.model for v in revisions[0].version_set.all()) == [
        "carrier",
        "channel",
    ]
    assert bumps == [in_a.pk, in_a.pk]
    for callback in callbacks:
        callback()
    assert bumps == [in_a.pk, in_a.pk]  # and nothing after the commit


def test_a_carrier_or_card_type_in_use_is_not_deleted(in_a, manager, english):
    carrier = CarrierFactory(tenant=in_a)
    card = CardTypeFactory(tenant=in_a)
    article = make_article(in_a, "uses-both", carrier=carrier, card_type=card)
    before = Revision.objects.count()
    with pytest.raises(ValidationError, match="is still used by: ") as refused:
        services.carrier_delete(carrier=carrier, user=manager)
    assert str(article) in refused.value.messages[0]
    with pytest.raises(ValidationError, match="is still used by"):
        services.card_type_delete(card_type=card, user=manager)
    assert Carrier.objects.filter(pk=carrier.pk).exists()
    assert carrier.channels.exists()
    assert CardType.objects.filter(pk=card.pk).exists()
    assert Revision.objects.count() == before


# --- roles and tenants ---------------------------------------------------------


def _calls(tenant):
    """Return (name, call(user)) for every catalogue service on ``tenant``'s rows."""
    carrier = CarrierFactory(tenant=tenant)
    card = CardTypeFactory(tenant=tenant)
    group = SynonymGroupFactory(tenant=tenant)
    return [
        (
            "carrier_save",
            lambda user: services.carrier_save(carrier=carrier, user=user),
        ),
        (
            "carrier_delete",
            lambda user: services.carrier_delete(carrier=carrier, user=user),
        ),
        (
            "card_type_save",
            lambda user: services.card_type_save(card_type=card, user=user),
        ),
        (
            "card_type_delete",
            lambda user: services.card_type_delete(card_type=card, user=user),
        ),
        (
            "synonym_group_save",
            lambda user: services.synonym_group_save(synonym_group=group, user=user),
        ),
        (
            "synonym_group_delete",
            lambda user: services.synonym_group_delete(synonym_group=group, user=user),
        ),
    ]


@pytest.mark.parametrize("role", [Membership.Role.EDITOR, Membership.Role.REVIEWER])
def test_only_managers_change_the_catalogue(in_a, tenant_b, role):
    member = make_user(tenant=in_a, role=role)
    outsider = make_user(tenant=tenant_b, role=Membership.Role.MANAGER)
    calls = _calls(in_a)
    before = Revision.objects.count()
    for name, call in calls:
        for user in (member, outsider):
            with pytest.raises(PermissionDenied):
                call(user)
            assert Revision.objects.count() == before, name
    assert Carrier.objects.count() == CardType.objects.count() == 1
    assert SynonymGroup.objects.count() == 1


def test_another_tenants_rows_are_missing(tenant_a, tenant_b):
    manager_a = make_user(tenant=tenant_a, role=Membership.Role.MANAGER)
    calls = _calls(tenant_b)
    before = Revision.objects.count()
    missing = (Carrier.DoesNotExist, CardType.DoesNotExist, SynonymGroup.DoesNotExist)
    with tenant_context(tenant_a):
        for name, call in calls:
            with pytest.raises(missing):
                call(manager_a)
            assert Revision.objects.count() == before, name
    assert Carrier.unscoped.filter(tenant=tenant_b).count() == 1
    assert Channel.unscoped.filter(tenant=tenant_b).count() == 1
    assert CardType.unscoped.filter(tenant=tenant_b).count() == 1
    assert SynonymGroup.unscoped.filter(tenant=tenant_b).count() == 1


def test_a_row_claiming_this_tenant_with_another_tenants_id_is_missing(
    tenant_a, tenant_b
):
    """A save by primary key must not overwrite another tenant's row."""
    theirs = CarrierFactory(tenant=tenant_b, slug="theirs")
    forged = Carrier(pk=theirs.pk, tenant=tenant_a, slug="mine", name_zh_hans="我的")
    with tenant_context(tenant_a), pytest.raises(Carrier.DoesNotExist):
        services.carrier_save(carrier=forged, user=None)
    with tenant_context(tenant_a), pytest.raises(Carrier.DoesNotExist):
        services.carrier_delete(carrier=forged, user=None)
    assert Carrier.unscoped.get(pk=theirs.pk).slug == "theirs"


def test_revision_tags_name_the_tenant_not_an_article(in_a, manager):
    carrier = CarrierFactory(tenant=in_a, user=manager)
    [version] = Version.objects.get_for_object(carrier)
    meta = version.revision.meta
    assert (meta.tenant_id, meta.article_id) == (in_a.pk, None)
