"""Every write purges exactly the keys it affects, after commit, never lost.

The purge is an outbox row (``FrontendPurge``) written in the write's own
transaction (guides.services.effects, guides.frontcache.outbox); a drain
sends it to every configured cache, twice, and keeps it with backoff when a
cache fails. A recording backend stands in for the caches here; the real
backends have their own tests (test_backends.py), and Varnish a live one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from guides import services
from guides.frontcache import outbox
from guides.models import Channel, FrontendPurge
from guides.tenancy import tenant_context
from tests.factories import make_article, make_card_type, make_carrier
from tests.frontcache import recording

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caches(settings, monkeypatch):
    settings.HELPCENTER_FRONTEND_CACHES = {
        "one": {"BACKEND": "tests.frontcache.recording.RecordingBackend"},
        "two": {"BACKEND": "tests.frontcache.recording.RecordingBackend"},
    }
    # The drains run in the test, not in threads that see no test data.
    monkeypatch.setattr(outbox, "SEND_ON_COMMIT", False)
    recording.purges.clear()
    recording.failing.clear()
    yield
    recording.purges.clear()
    recording.failing.clear()


def owed() -> list[str]:
    """Return the keys owed (and forget them), in the order they were owed."""
    keys = [key for row in FrontendPurge.objects.order_by("id") for key in row.keys]
    FrontendPurge.objects.all().delete()
    return list(dict.fromkeys(keys))


@pytest.fixture
def site(tenant_a):
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with tenant_context(tenant_a):
        article = make_article(
            tenant_a, "cancel-esim", publish=True, carrier=carrier, card_type=card
        )
    owed()
    t = tenant_a.pk
    return {
        "tenant": tenant_a,
        "carrier": carrier,
        "card": card,
        "article": article,
        "article_keys": [
            f"t{t}-a{article.pk}",
            f"t{t}-c{carrier.pk}",
            f"t{t}-k{card.pk}",
            f"t{t}-list",
            f"t{t}-api",
        ],
    }


def test_nothing_is_owed_without_a_front_end_cache(settings, tenant_a):
    settings.HELPCENTER_FRONTEND_CACHES = {}
    owed()  # the tenant's creation, made while caches were configured
    with tenant_context(tenant_a):
        make_article(tenant_a, "x", publish=True)
    assert not FrontendPurge.objects.exists()


def test_publish_owes_the_article_its_carrier_card_type_listings_and_api(site):
    with tenant_context(site["tenant"]):
        services.article_publish(article=site["article"], user=None)
    assert owed() == site["article_keys"]


def test_unpublish_and_delete_owe_the_same_keys(site):
    with tenant_context(site["tenant"]):
        services.article_unpublish(article=site["article"], user=None)
        assert owed() == site["article_keys"]
        services.article_publish(article=site["article"], user=None)
        owed()
        services.article_delete(article=site["article"], user=None)
    assert owed() == site["article_keys"]


def test_deleting_a_draft_owes_nothing(site):
    with tenant_context(site["tenant"]):
        draft = make_article(site["tenant"], "draft-only")
        owed()
        services.article_delete(article=draft, user=None)
    assert owed() == []


def test_revert_owes_the_article_keys(site):
    article = site["article"]
    with tenant_context(site["tenant"]):
        first = services.article_revisions(article=article).last()
        services.article_update(article=article, user=None, title_en="Changed")
        owed()  # an edit of a draft changes no public page: nothing owed
        services.article_revert(article=article, user=None, revision_id=first.pk)
    assert owed() == site["article_keys"]


def test_an_edit_of_the_working_copy_owes_nothing(site):
    with tenant_context(site["tenant"]):
        services.article_update(article=site["article"], user=None, title_en="Draft")
    assert owed() == []


def test_a_hotline_change_owes_its_carrier_the_sitemaps_and_the_api(site):
    t = site["tenant"].pk
    carrier = site["carrier"]
    with tenant_context(site["tenant"]):
        hotline = Channel.objects.get(carrier=carrier)
        services.carrier_save(
            carrier=carrier,
            user=None,
            channels=[{"id": hotline.pk, "kind": hotline.kind, "value": "10010"}],
        )
    # The carrier's name is unchanged: the listings that show it stay.
    assert owed() == [f"t{t}-c{carrier.pk}", f"t{t}-map", f"t{t}-api"]
    with tenant_context(site["tenant"]):
        hotline.value = "12345"
        hotline.save()  # any path, a shell included (guides.receivers)
    assert owed() == [f"t{t}-c{carrier.pk}", f"t{t}-map", f"t{t}-api"]


def test_a_carrier_rename_owes_the_listings_too(site):
    t = site["tenant"].pk
    carrier = site["carrier"]
    carrier.name_en = "CMCC"
    with tenant_context(site["tenant"]):
        services.carrier_save(carrier=carrier, user=None)
    assert owed() == [f"t{t}-c{carrier.pk}", f"t{t}-list", f"t{t}-map", f"t{t}-api"]
    carrier.description_en = "Another description"
    with tenant_context(site["tenant"]):
        services.carrier_save(carrier=carrier, user=None)
    assert owed() == [f"t{t}-c{carrier.pk}", f"t{t}-map", f"t{t}-api"]


def test_a_card_type_change_owes_its_key_and_the_listings(site):
    t = site["tenant"].pk
    card = site["card"]
    card.name_en = "eSIM card"
    with tenant_context(site["tenant"]):
        services.card_type_save(card_type=card, user=None)
    assert owed() == [f"t{t}-k{card.pk}", f"t{t}-list", f"t{t}-map", f"t{t}-api"]


def test_branding_and_domains_owe_the_whole_tenant_and_no_other(site, tenant_b):
    tenant = site["tenant"]
    owed()  # tenant_b's creation
    tenant.primary_color = "#aa0000"
    with tenant_context(tenant):
        services.tenant_settings_update(tenant=tenant, user=None)
        assert owed() == [f"t{tenant.pk}"]
        services.domain_add(tenant=tenant, user=None, host="help.alpha.test")
    assert owed() == [f"t{tenant.pk}"]


def test_a_rolled_back_write_owes_nothing(site):
    with pytest.raises(RuntimeError), transaction.atomic():
        with tenant_context(site["tenant"]):
            services.article_unpublish(article=site["article"], user=None)
        assert FrontendPurge.objects.exists()
        raise RuntimeError
    assert not FrontendPurge.objects.exists()


def test_a_commit_schedules_a_send(site, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        tenant_context(site["tenant"]),
    ):
        services.article_unpublish(article=site["article"], user=None)
    assert outbox.send_soon in callbacks


# --- draining -------------------------------------------------------------------


def test_a_drain_sends_every_owed_key_to_every_cache_three_times(site, tenant_b):
    t = site["tenant"].pk
    with tenant_context(site["tenant"]):
        services.article_unpublish(article=site["article"], user=None)
    with tenant_context(tenant_b):
        make_article(tenant_b, "b-only", publish=True)
    now = timezone.now()
    first = outbox.drain(now=now)
    assert not first.failed
    assert first.repeat  # a second send is owed
    tenants = sorted({tenant_id for _name, tenant_id, _keys in recording.purges})
    assert tenants == sorted([t, tenant_b.pk])
    # Each purge holds one tenant's keys only.
    for _name, tenant_id, keys in recording.purges:
        assert all(key.split("-")[0] == f"t{tenant_id}" for key in keys)
    assert {name for name, _t, _k in recording.purges} == {"one", "two"}
    a_keys = [k for name, tid, k in recording.purges if name == "one" and tid == t]
    assert a_keys == [site["article_keys"]]

    # The second send is due once every process has re-read the generation,
    # well within a second of the write.
    assert outbox.REPEAT_AFTER < 0.8
    assert outbox.drain(now=now).sent == []
    recording.purges.clear()
    later = now + timedelta(seconds=outbox.REPEAT_AFTER)
    second = outbox.drain(now=later)
    assert second.sent and second.repeat
    assert second.repeat_after == outbox.FINAL_AFTER
    assert len(recording.purges) == 4
    # The third evicts a copy a slow render stored after the second.
    recording.purges.clear()
    assert outbox.drain(now=later).sent == []
    third = outbox.drain(now=later + timedelta(seconds=outbox.FINAL_AFTER))
    assert third.sent and not third.repeat
    assert len(recording.purges) == 4
    assert not FrontendPurge.objects.exists()


def test_a_failing_cache_keeps_the_purge_logs_it_and_backs_off(site, caplog):
    with tenant_context(site["tenant"]):
        services.article_unpublish(article=site["article"], user=None)
    recording.failing.add("two")
    now = timezone.now()
    with caplog.at_level(logging.WARNING, logger="guides.frontcache.outbox"):
        result = outbox.drain(now=now)
    assert result.failed and "two is down" in result.errors[0]
    assert "did not purge" in caplog.text
    row = FrontendPurge.objects.get()
    assert (row.attempts, row.sends_left) == (1, 3)
    assert row.due_at == now + timedelta(seconds=1)
    assert "two is down" in row.last_error
    # Not before its time; then again, with a longer wait after each failure.
    assert outbox.drain(now=now + timedelta(seconds=0.5)).failed == []
    outbox.drain(now=now + timedelta(seconds=1))
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.due_at == now + timedelta(seconds=1) + timedelta(seconds=2)
    recording.failing.clear()
    recording.purges.clear()
    assert outbox.drain(now=row.due_at).sent
    row.refresh_from_db()
    assert (row.attempts, row.sends_left, row.last_error) == (0, 2, "")


def test_backoff_is_capped_at_an_hour():
    assert outbox.backoff(1) == timedelta(seconds=1)
    assert outbox.backoff(5) == timedelta(seconds=16)
    assert outbox.backoff(40) == timedelta(hours=1)


def test_a_claimed_row_is_not_sent_by_another_drain(site):
    with tenant_context(site["tenant"]):
        services.article_unpublish(article=site["article"], user=None)
    now = timezone.now()
    assert len(outbox.claim(now)) == 1
    assert outbox.claim(now) == []  # leased to the first drainer


def test_keys_that_name_no_tenant_are_never_sent():
    FrontendPurge.objects.create(keys=["everything", "t1-a2", "t3-../x", "tx-1"])
    outbox.drain()
    assert [keys for _name, _t, keys in recording.purges] == [["t1-a2"], ["t1-a2"]]


# --- the command ------------------------------------------------------------------


def test_the_command_sends_what_is_due(site, capsys):
    with tenant_context(site["tenant"]):
        services.article_unpublish(article=site["article"], user=None)
    call_command("purge_frontend_caches")
    assert len(recording.purges) == 2
    assert "Purged 5 keys; 1 purges still owed." in capsys.readouterr().out
    call_command("purge_frontend_caches", "--now")
    assert not FrontendPurge.objects.exists()


def test_the_command_purges_a_tenant_or_keys_by_hand(site):
    t = site["tenant"].pk
    call_command("purge_frontend_caches", "--tenant", "alpha")
    assert recording.purges[0][2] == [f"t{t}"]
    recording.purges.clear()
    call_command("purge_frontend_caches", "--keys", f"t{t}-list", f"t{t}-lang-en")
    assert recording.purges[0][2] == [f"t{t}-list", f"t{t}-lang-en"]
    with pytest.raises(CommandError, match="Not a tenant's surrogate key"):
        call_command("purge_frontend_caches", "--keys", "all")
    with pytest.raises(CommandError, match="Unknown tenant"):
        call_command("purge_frontend_caches", "--tenant", "nope")


def test_the_command_fails_loudly_while_a_cache_fails(site):
    with tenant_context(site["tenant"]):
        services.article_unpublish(article=site["article"], user=None)
    recording.failing.add("one")
    with pytest.raises(CommandError, match="one is down"):
        call_command("purge_frontend_caches")
    assert FrontendPurge.objects.get().attempts == 1


def test_the_command_refuses_without_caches(settings):
    settings.HELPCENTER_FRONTEND_CACHES = {}
    with pytest.raises(CommandError, match="HELPCENTER_FRONTEND_CACHES is empty"):
        call_command("purge_frontend_caches")
