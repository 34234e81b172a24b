"""``manage.py send_review_reminders``, read from a real SMTP server.

An aiosmtpd server on 127.0.0.1 (a free port) receives what Django's SMTP
backend sends; the tests read the envelopes and the MIME messages.
"""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import timedelta
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from guides import services
from guides.models import Article, Membership, ReviewReminder
from guides.services.freshness import review_reminders_send
from guides.tenancy import tenant_context
from tests.factories import make_article, make_tenant, make_user

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.received = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 Transaction failed"
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        """Return the messages sent to ``address``."""
        return [m for rcpt, m in self.received if address in rcpt]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    yield inbox
    controller.stop()


def _age(article, days):
    """Move an article's creation ``days`` into the past (test setup only)."""
    Article.unscoped.filter(pk=article.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def world(tenant_a):
    """Two help centers: alpha (Chinese first) and beta (English first).

    alpha: an editor, a reviewer, a member without an e-mail address; a
    stale article, a fresh one, the editor's article in review and the
    reviewer's. beta: an editor and one stale article.
    """
    beta = make_tenant(
        "gamma",
        hosts=["gamma.test"],
        languages=["zh-hans", "en"],
        default_language="en",
    )
    people = {
        "editor": make_user("ed-a", tenant=tenant_a, email="ed@alpha.test"),
        "reviewer": make_user(
            "rev-a",
            tenant=tenant_a,
            role=Membership.Role.REVIEWER,
            email="rev@alpha.test",
        ),
        "mute": make_user("mute-a", tenant=tenant_a),
        "beta": make_user("ed-b", tenant=beta, email="ed@gamma.test"),
    }
    stale = make_article(
        tenant_a,
        "stale",
        publish=True,
        title_zh_hans="阿尔法旧流程",
        title_en="Alpha old",
    )
    _age(stale, 365)
    make_article(tenant_a, "fresh", publish=True, title_en="Alpha fresh")
    mine = make_article(
        tenant_a,
        "mine",
        user=people["editor"],
        title_zh_hans="编辑待审",
        title_en="Ed waits",
    )
    theirs = make_article(
        tenant_a,
        "theirs",
        user=people["reviewer"],
        title_zh_hans="审核待审",
        title_en="Rev waits",
    )
    with tenant_context(tenant_a):
        services.article_submit(article=mine, user=people["editor"])
        services.article_submit(article=theirs, user=people["reviewer"])
    beta_stale = make_article(
        beta, "beta-stale", publish=True, title_zh_hans="贝塔旧", title_en="Gamma old"
    )
    _age(beta_stale, 400)
    return {
        "gamma": beta,
        "stale": stale,
        "mine": mine,
        "theirs": theirs,
        "beta_stale": beta_stale,
        **people,
    }


def _parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def _run(**options) -> str:
    out = StringIO()
    call_command("send_review_reminders", stdout=out, **options)
    return out.getvalue()


def test_reminders_reach_each_member_with_their_items(smtp, world, tenant_a):
    """Each member with an address gets one mail: the stale procedures, and
    what waits for review (all of it for a reviewer, their own for an editor),
    with links to the admin on the primary domain, as text and HTML."""
    # when
    output = _run()
    # then
    assert "alpha: 2 reminder(s) sent" in output
    assert "gamma: 1 reminder(s) sent" in output
    recipients = sorted(address for rcpt, _m in smtp.received for address in rcpt)
    assert recipients == ["ed@alpha.test", "ed@gamma.test", "rev@alpha.test"]

    [editor_mail] = smtp.to("ed@alpha.test")
    text, html = _parts(editor_mail)
    stale_url = f"https://alpha.test/admin/guides/article/{world['stale'].pk}/change/"
    mine_url = f"https://alpha.test/admin/guides/article/{world['mine'].pk}/change/"
    theirs_url = f"https://alpha.test/admin/guides/article/{world['theirs'].pk}/change/"
    for body in (text, html):
        assert "阿尔法旧流程" in body and stale_url in body
        assert "编辑待审" in body and mine_url in body
        assert "审核待审" not in body and theirs_url not in body
        assert "Alpha fresh" not in body
    assert f'<a href="{stale_url}">阿尔法旧流程</a>' in html
    assert "https://alpha.test/admin/guides/article/?stale=due" in text
    assert "Alpha" in editor_mail["Subject"]
    assert "1" in editor_mail["Subject"]

    [reviewer_mail] = smtp.to("rev@alpha.test")
    text, _html = _parts(reviewer_mail)
    assert mine_url in text and theirs_url in text and stale_url in text


def test_reminders_are_in_the_help_centers_language(smtp, world):
    """alpha's members read Chinese titles, beta's English ones; the message
    says which language it is in."""
    _run()
    [alpha_mail] = smtp.to("ed@alpha.test")
    [beta_mail] = smtp.to("ed@gamma.test")
    assert alpha_mail["Content-Language"] == "zh-hans"
    assert beta_mail["Content-Language"] == "en"
    alpha_text, alpha_html = _parts(alpha_mail)
    beta_text, beta_html = _parts(beta_mail)
    assert "阿尔法旧流程" in alpha_text and "Alpha old" not in alpha_text
    assert '<html lang="zh-hans">' in alpha_html
    assert "Gamma old" in beta_text and "贝塔旧" not in beta_text
    assert '<html lang="en">' in beta_html


def test_tenant_isolation(smtp, world):
    """An editor of one help center never gets another's items or links."""
    _run()
    for address, foreign in (
        ("ed@alpha.test", ("Gamma old", "贝塔旧", "gamma.test")),
        ("rev@alpha.test", ("Gamma old", "贝塔旧", "gamma.test")),
        ("ed@gamma.test", ("Alpha", "阿尔法", "alpha.test", "编辑待审")),
    ):
        [message] = smtp.to(address)
        text, html = _parts(message)
        for word in foreign:
            assert word not in text and word not in html, (address, word)


def test_twice_the_same_day_sends_nothing_the_second_time(smtp, world):
    """The command is idempotent per day; the next day it reminds again."""
    _run()
    assert len(smtp.received) == 3
    output = _run()
    assert "0 reminder(s) sent in all" in output
    assert len(smtp.received) == 3
    assert ReviewReminder.unscoped.count() == 3
    # the next day
    tomorrow = timezone.localdate() + timedelta(days=1)
    with tenant_context(world["gamma"]):
        sent = review_reminders_send(tenant=world["gamma"], today=tomorrow)
    assert [r.user for r in sent] == [world["beta"]]
    assert len(smtp.received) == 4


def test_a_refused_mail_is_tried_again_on_the_next_run(smtp, world):
    """A mail the server refuses leaves no record, so the next run sends it."""
    smtp.refuse = True
    assert "0 reminder(s) sent in all" in _run(tenant="gamma")
    assert not ReviewReminder.unscoped.exists()
    smtp.refuse = False
    assert "1 reminder(s) sent in all" in _run(tenant="gamma")
    assert [rcpt for rcpt, _m in smtp.received] == [["ed@gamma.test"]]


def test_nothing_to_do_sends_nothing(smtp, tenant_a):
    """Members of a help center with nothing stale or waiting get no mail."""
    make_user("calm", tenant=tenant_a, email="calm@alpha.test")
    make_article(tenant_a, "fresh", publish=True)
    assert "0 reminder(s) sent in all" in _run()
    assert smtp.received == []


def test_verified_articles_are_no_longer_reminded(smtp, world, tenant_a):
    """Once verified, a stale procedure leaves the reminders."""
    with tenant_context(tenant_a):
        services.article_verify(article=world["stale"], user=world["editor"])
    _run(tenant="alpha")
    [editor_mail] = smtp.to("ed@alpha.test")
    text, _html = _parts(editor_mail)
    assert "阿尔法旧流程" not in text and "编辑待审" in text


def test_unknown_tenant_is_an_error(smtp, db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _run(tenant="nope")


def test_a_concurrent_run_that_sent_first_wins(smtp, world, monkeypatch):
    """When another run records a member's reminder after this run looked
    (the unique constraint, not the first check, stops it), that member gets
    nothing more and the others still get theirs."""
    from guides.services import freshness

    computed = freshness.reminders_due

    def and_meanwhile(**kwargs):
        reminders = computed(**kwargs)
        ReviewReminder.unscoped.create(
            tenant=kwargs["tenant"], user=world["editor"], sent_on=timezone.localdate()
        )
        return reminders

    monkeypatch.setattr(freshness, "reminders_due", and_meanwhile)
    assert "1 reminder(s) sent in all" in _run(tenant="alpha")
    assert [rcpt for rcpt, _m in smtp.received] == [["rev@alpha.test"]]
