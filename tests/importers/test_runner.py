"""Importing writes articles through the services: detected, idempotent, per-file atomic."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation
from reversion.models import Revision

from guides import services
from guides.importers import Source, import_sources
from guides.models import Article, CardType, Carrier, Channel, Publication, RevisionMeta
from guides.publishing.markup import render_markdown
from guides.search import searching
from guides.tenancy import tenant_context

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture(autouse=True)
def _english():
    """Report messages are translated; these tests read the English ones."""
    with translation.override("en"):
        yield


def make_catalog(tenant) -> None:
    """Give ``tenant`` the carriers and card types the samples mention."""
    with tenant_context(tenant):
        for slug, zh, en, hotline, site in (
            (
                "china-mobile",
                "中国移动",
                "China Mobile",
                "10086",
                "https://www.10086.cn/",
            ),
            (
                "china-unicom",
                "中国联通",
                "China Unicom",
                "10010",
                "https://www.10010.com/",
            ),
            ("china-telecom", "中国电信", "China Telecom", "10000", ""),
        ):
            carrier = Carrier.objects.create(
                tenant=tenant, slug=slug, name_zh_hans=zh, name_en=en, website=site
            )
            Channel.objects.create(
                tenant=tenant,
                carrier=carrier,
                kind=Channel.Kind.HOTLINE,
                label_zh_hans="热线",
                label_en="Hotline",
                value=hotline,
            )
        for slug, zh, en in (
            ("esim", "eSIM", "eSIM"),
            ("data-card", "流量卡", "Data card"),
            ("ten-day", "10日卡", "10-day card"),
            ("transit", "公交卡", "Transit card"),
        ):
            CardType.objects.create(
                tenant=tenant, slug=slug, name_zh_hans=zh, name_en=en
            )


@pytest.fixture
def catalog(tenant_a):
    make_catalog(tenant_a)
    return tenant_a


def sample(name: str, *, as_name: str | None = None) -> Source:
    return Source(name=as_name or name, data=(SAMPLES / name).read_bytes())


def revisions_of(tenant, article_id) -> int:
    return RevisionMeta.unscoped.filter(tenant=tenant, article_id=article_id).count()


def test_an_import_creates_a_structured_draft_with_its_carrier_and_card_type(catalog):
    report = import_sources(tenant=catalog, sources=[sample("esim_cancel_zh.md")])
    [outcome] = report.files
    assert outcome.ok and [a.action for a in outcome.articles] == ["created"]
    with tenant_context(catalog):
        article = Article.objects.with_parts().get(pk=outcome.articles[0].article_id)
        assert (
            article.title_zh_hans == "中国移动 eSIM 注销全攻略"
            and article.title_en in ("", None)
        )
        assert (
            article.carrier.slug == "china-mobile" and article.card_type.slug == "esim"
        )
        assert article.status == Article.Status.DRAFT
        assert [s.title_zh_hans for s in article.steps.all()] == [
            "确认账户状态",
            "前往营业厅",
            "确认注销",
        ]
        assert [r.kind for r in article.requirements.all()] == [
            "prerequisite",
            "prerequisite",
            "document",
            "document",
        ]
        assert [t.kind for t in article.tips.all()] == ["warning", "tip"]
        assert article.faqs.count() == 2
        assert article.summary_zh_hans.startswith("准备好身份证")
        stored = " ".join(
            [article.title_zh_hans, article.introduction_zh_hans]
            + [s.body_zh_hans for s in article.steps.all()]
        )
        body_html = render_markdown(article.steps.all()[1].body_zh_hans)
    for gone in ("微信", "t.me", "pixel", "script", "deals.example.org", "QQ"):
        assert gone not in stored
    assert "<script" not in body_html
    assert article.source_key and article.slug.startswith("china-mobile-esim-guide-")
    # one per line: title, invitation, tracker, script, unknown link, QQ group
    assert len(outcome.removals) == 6
    # one revision, tagged with the tenant, commented with the file name
    [meta] = RevisionMeta.unscoped.filter(article_id=article.pk)
    assert meta.tenant_id == catalog.pk and "esim_cancel_zh.md" in meta.revision.comment


def test_the_same_file_twice_is_the_same_article_and_no_new_revision(catalog):
    first = import_sources(tenant=catalog, sources=[sample("esim_cancel_zh.md")])
    article_id = first.files[0].articles[0].article_id
    revisions = Revision.objects.count()
    again = import_sources(tenant=catalog, sources=[sample("esim_cancel_zh.md")])
    assert [a.action for a in again.files[0].articles] == ["unchanged"]
    assert again.files[0].articles[0].article_id == article_id
    assert Article.unscoped.filter(tenant=catalog).count() == 1
    assert Revision.objects.count() == revisions


def test_a_changed_file_updates_the_article_in_exactly_one_revision(catalog):
    first = import_sources(tenant=catalog, sources=[sample("esim_cancel_zh.md")])
    article_id = first.files[0].articles[0].article_id
    with tenant_context(catalog):
        # a translation added by an editor survives the re-import
        article = Article.objects.get(pk=article_id)
        step = article.steps.first()
        services.article_update(
            article=article,
            user=None,
            title_en="Cancel an eSIM",
            parts={"steps": [{"id": s.pk} for s in article.steps.all()]},
        )
        Article.objects.get(pk=article_id).steps.filter(pk=step.pk).update(
            title_en="Check"
        )
    before = revisions_of(catalog, article_id)
    changed = (
        (SAMPLES / "esim_cancel_zh.md")
        .read_text(encoding="utf-8")
        .replace("等待 1 到 7 个工作日审核", "等待 3 个工作日审核")
    )
    report = import_sources(
        tenant=catalog,
        sources=[Source(name="esim_cancel_zh.md", data=changed.encode())],
    )
    assert [a.action for a in report.files[0].articles] == ["updated"]
    assert revisions_of(catalog, article_id) == before + 1
    with tenant_context(catalog):
        article = Article.objects.get(pk=article_id)
        assert "3 个工作日" in article.steps.all()[2].body_zh_hans
        assert article.title_en == "Cancel an eSIM"
        assert article.steps.all()[0].title_en == "Check"
        assert Article.objects.count() == 1


def test_one_file_of_several_procedures_gives_one_article_each_and_stays_idempotent(
    catalog,
):
    report = import_sources(tenant=catalog, sources=[sample("telecom_multi.md")])
    articles = report.files[0].articles
    assert [(a.carrier, a.card_type) for a in articles] == [
        ("China Telecom", "eSIM"),
        ("China Telecom", "10-day card"),
        ("China Telecom", "Transit card"),
    ]
    assert all(a.notes == [] for a in articles)
    again = import_sources(tenant=catalog, sources=[sample("telecom_multi.md")])
    assert [a.action for a in again.files[0].articles] == ["unchanged"] * 3
    assert Article.unscoped.filter(tenant=catalog).count() == 3


def test_carriers_named_only_as_examples_give_a_published_generic_article(catalog):
    """Such articles were left as drafts, so --publish published nothing (issue 13)."""
    text = "# 销户指南\n\n中国移动和中国联通都可以办理。\n\n## 操作步骤\n\n1. 打电话\n2. 等待\n"
    report = import_sources(
        tenant=catalog,
        sources=[Source(name="both.md", data=text.encode())],
        publish=True,
    )
    [outcome] = report.files[0].articles
    assert outcome.carrier == "" and outcome.published
    [carrier_note] = outcome.notes
    assert "China Mobile" in carrier_note and "China Unicom" in carrier_note
    assert Publication.unscoped.filter(article_id=outcome.article_id).exists()
    comment = (
        RevisionMeta.unscoped.filter(article_id=outcome.article_id)
        .order_by("revision_id")
        .first()
        .revision.comment
    )
    assert carrier_note in comment
    assert any(carrier_note in line for line in report.lines())


def test_a_given_carrier_and_card_type_win_over_detection(catalog):
    with tenant_context(catalog):
        unicom = Carrier.objects.get(slug="china-unicom")
        transit = CardType.objects.get(slug="transit")
    report = import_sources(
        tenant=catalog,
        sources=[sample("esim_cancel_zh.md")],
        carrier=unicom,
        card_type=transit,
    )
    [outcome] = report.files[0].articles
    assert (outcome.carrier, outcome.card_type, outcome.notes) == (
        "China Unicom",
        "Transit card",
        [],
    )


def test_a_bad_file_fails_alone_with_a_clear_message_and_the_batch_goes_on(catalog):
    report = import_sources(
        tenant=catalog,
        sources=[
            Source(name="empty.md", data=b""),
            Source(name="binary.md", data=b"\x00\x01\x02PK\x03\x04"),
            Source(
                name="gbk.md",
                data=(SAMPLES / "plain_text_steps.txt")
                .read_text(encoding="utf-8")
                .encode("gbk"),
            ),
            sample("no_steps.md"),
            sample("transit_card_en.md"),
        ],
        language="en",
    )
    errors = {f.name: f.error for f in report.files}
    assert "empty" in errors["empty.md"]
    assert "binary" in errors["binary.md"]
    assert errors["gbk.md"] == "" and errors["transit_card_en.md"] == ""
    assert "No recognisable steps" in errors["no_steps.md"]
    gbk = next(f for f in report.files if f.name == "gbk.md")
    assert gbk.encoding == "GBK/GB18030" and any("GBK" in n for n in gbk.notes)
    with tenant_context(catalog):
        titles = set(Article.objects.values_list("title_en", flat=True))
    assert titles == {"流量卡销户办法", "How to close a transit card"}
    assert report.summary().startswith(
        "5 file(s): 2 imported, 3 failed; articles 2 created"
    )


def test_a_failing_procedure_rolls_back_the_whole_file(catalog, monkeypatch):
    calls = []
    real_create = services.article_create

    def fail_on_second(**kwargs):
        calls.append(kwargs["slug"])
        if len(calls) == 2:
            from django.core.exceptions import ValidationError

            raise ValidationError("boom")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "article_create", fail_on_second)
    before = RevisionMeta.unscoped.filter(tenant=catalog).count()
    report = import_sources(
        tenant=catalog,
        sources=[sample("telecom_multi.md"), sample("esim_cancel_zh.md")],
    )
    assert [f.ok for f in report.files] == [False, True]
    assert report.files[0].error == "boom" and report.files[0].articles == []
    with tenant_context(catalog):
        # the multi-procedure file left nothing; the next file imported
        assert Article.objects.count() == 1
    # one revision: the second file's article (the tenant's own came before)
    assert RevisionMeta.unscoped.filter(tenant=catalog).count() == before + 1


def test_a_dry_run_writes_nothing_and_reports_the_structure(catalog):
    revisions = Revision.objects.count()
    report = import_sources(
        tenant=catalog,
        sources=[sample("esim_cancel_zh.md")],
        dry_run=True,
        publish=True,
    )
    assert Article.unscoped.count() == 0 and Revision.objects.count() == revisions
    text = "\n".join(report.lines())
    assert "中国移动 eSIM 注销全攻略" in text
    for part in (
        "确认账户状态",
        "前往营业厅",
        "确认注销",
        "机主本人身份证原件",
        "保留好业务受理单",
        "余额怎么办？",
        "123456789",
    ):
        assert part in text


def test_only_managers_may_import(catalog):
    from django.core.exceptions import PermissionDenied

    from tests.factories import make_user

    editor = make_user(tenant=catalog, role="editor")
    with pytest.raises(PermissionDenied):
        import_sources(
            tenant=catalog, sources=[sample("esim_cancel_zh.md")], user=editor
        )
    assert Article.unscoped.count() == 0


def test_an_imported_published_article_is_public_and_searchable(
    catalog, tenant_b, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_sources(
            tenant=catalog, sources=[sample("esim_cancel_zh.md")], publish=True
        )
    [outcome] = report.files[0].articles
    assert outcome.published
    page = client.get(f"/zh-hans/guides/{outcome.slug}/", HTTP_HOST="alpha.test")
    assert page.status_code == 200
    html = page.content.decode()
    assert "确认账户状态" in html and "注销后号码还能找回吗？" in html
    assert (
        "t.me" not in html and "pixel.gif" not in html and "<script>alert" not in html
    )
    with tenant_context(catalog):
        found = searching.search(
            tenant=catalog, language="zh-hans", query="注销", log=False
        )
    assert outcome.slug in [result.slug for result in found.results]
    # another tenant's host does not serve it
    other = client.get(f"/zh-hans/guides/{outcome.slug}/", HTTP_HOST="beta.test")
    assert other.status_code == 404
