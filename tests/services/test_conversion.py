"""Traditional Chinese drafts made from Simplified Chinese (OpenCC), reviewed
before they are published."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from reversion.models import Version

from guides import services
from guides.models import Article, CardType, Carrier, Publication
from guides.publishing import translation_state
from guides.publishing.chinese import to_traditional
from guides.tenancy import tenant_context
from tests.factories import make_article, make_card_type, make_carrier, make_tenant

LANGUAGES = ["zh-hans", "en", "zh-hant"]


# --- the conversion, per variant ---------------------------------------------


@pytest.mark.parametrize(
    ("simplified", "taiwan", "hong_kong"),
    [
        # Regional vocabulary: the phrase tables differ.
        ("移动网络", "行動網路", "流動網絡"),
        ("软件", "軟體", "軟件"),
        ("短信验证码", "簡訊驗證碼", "短訊驗證碼"),
        ("打印机", "印表機", "打印機"),
        ("用户账号", "使用者帳號", "用户帳號"),
        ("搜索信息", "搜尋資訊", "搜尋資訊"),
        ("网络里面", "網路裡面", "網絡裡面"),
        # Terms of this field the general tables get wrong (注销 is not 登出).
        ("注销手机卡", "註銷手機卡", "註銷手機卡"),
        ("携号转网", "攜號轉網", "攜號轉網"),
        ("话费充值", "話費儲值", "話費增值"),
        ("卡类型与运营商", "卡類型與電信業者", "卡類型與電訊商"),
        # Latin text, numbers and punctuation pass through.
        (
            "拨打 10086，选择 eSIM。",
            "撥打 10086，選擇 eSIM。",
            "撥打 10086，選擇 eSIM。",
        ),
    ],
)
def test_conversion_uses_the_variants_wording(simplified, taiwan, hong_kong):
    assert to_traditional(simplified, "tw") == taiwan
    assert to_traditional(simplified, "hk") == hong_kong


def test_an_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="variant"):
        to_traditional("注销", "cn")


# --- the service -------------------------------------------------------------


@pytest.fixture
def tenant(db):
    return make_tenant("tw", languages=LANGUAGES)


def hant(obj, field):
    return getattr(obj, f"{field}_zh_hant")


def test_convert_fills_every_empty_field_of_the_article_and_its_parts(tenant):
    article = make_article(tenant, "cancel-esim", title_zh_hant="我寫的標題")
    with tenant_context(tenant):
        filled = services.article_convert_to_traditional(article=article, user=None)
        article.refresh_from_db()
        # The editor's own text is kept; the rest is converted.
        assert hant(article, "title") == "我寫的標題"
        assert hant(article, "summary") == "如何註銷 eSIM"
        steps = list(article.steps.order_by("sort_order"))
        assert [hant(s, "title") for s in steps] == ["第1步", "第2步", "第3步"]
        assert [hant(s, "body") for s in steps] == [
            "步驟1說明",
            "步驟2說明",
            "步驟3說明",
        ]
        assert hant(article.requirements.get(), "text") == "身份證"
        assert hant(article.tips.get(), "text") == "謹防詐騙"
        faq = article.faqs.get()
        assert (hant(faq, "question"), hant(faq, "answer")) == (
            "要多久？",
            "1 到 7 個工作日",
        )
        # summary + 3 titles + 3 bodies + requirement + tip + question + answer
        assert filled == 11
        assert translation_state.needs_review(article.translation_state, "zh-hant")


def test_hong_kong_tenants_get_hong_kong_wording(db):
    tenant = make_tenant("hk", languages=LANGUAGES, chinese_variant="hk")
    article = make_article(tenant, "video", summary_zh_hans="观看视频教程")
    with tenant_context(tenant):
        services.article_convert_to_traditional(article=article, user=None)
        article.refresh_from_db()
    assert hant(article, "summary") == "觀看影片教程"


def test_convert_records_one_revision(tenant):
    article = make_article(tenant, "cancel-esim")
    with tenant_context(tenant):
        before = Version.objects.get_for_object(article).count()
        services.article_convert_to_traditional(article=article, user=None)
        versions = Version.objects.get_for_object(article)
        assert versions.count() == before + 1
        revision = versions.first().revision
        assert revision.meta.tenant_id == tenant.pk


def test_nothing_to_convert_is_a_clear_error(tenant):
    article = make_article(tenant, "cancel-esim")
    with tenant_context(tenant):
        services.article_convert_to_traditional(article=article, user=None)
        with pytest.raises(ValidationError):
            services.article_convert_to_traditional(article=article, user=None)


def test_convert_needs_zh_hant_enabled(db):
    tenant = make_tenant("cn", languages=["zh-hans", "en"])
    article = make_article(tenant, "cancel-esim")
    with tenant_context(tenant), pytest.raises(ValidationError):
        services.article_convert_to_traditional(article=article, user=None)
    with tenant_context(tenant):
        article.refresh_from_db()
        assert not hant(article, "summary")


def test_another_tenants_article_is_not_found(tenant):
    other = make_tenant("other", languages=LANGUAGES)
    article = make_article(other, "cancel-esim")
    with tenant_context(tenant), pytest.raises(Article.DoesNotExist):
        services.article_convert_to_traditional(article=article, user=None)


def test_a_converted_language_is_published_only_after_review(tenant):
    article = make_article(tenant, "cancel-esim", publish=True)
    with tenant_context(tenant):
        services.article_convert_to_traditional(article=article, user=None)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
        services.article_publish(article=article, user=None)
        assert Publication.objects.get(article=article).languages == ["zh-hans", "en"]

        article.refresh_from_db()
        services.article_translation_confirm(
            article=article, user=None, language="zh-hant"
        )
        article.refresh_from_db()
        assert not translation_state.needs_review(article.translation_state, "zh-hant")
        services.article_publish(article=article, user=None)
        publication = Publication.objects.get(article=article)
        assert publication.languages == ["zh-hans", "en", "zh-hant"]


def test_a_later_change_of_the_source_marks_the_conversion_outdated(tenant):
    article = make_article(tenant, "cancel-esim")
    with tenant_context(tenant):
        services.article_convert_to_traditional(article=article, user=None)
        article.refresh_from_db()
        assert not translation_state.is_outdated(
            article.translation_state, "zh-hant", "zh-hans"
        )
        services.article_update(
            article=article, user=None, summary_zh_hans="如何注销手机上的 eSIM"
        )
        article.refresh_from_db()
        assert translation_state.is_outdated(
            article.translation_state, "zh-hant", "zh-hans"
        )


def test_catalog_conversion_fills_carrier_channel_and_card_type_names(tenant):
    from tests.factories import make_user

    manager = make_user("boss", tenant=tenant, role="manager")
    carrier = make_carrier(tenant, "cmcc")
    card_type = make_card_type(tenant, "esim")
    with tenant_context(tenant):
        Carrier.objects.filter(pk=carrier.pk).update(name_zh_hans="中国移动")
        CardType.objects.filter(pk=card_type.pk).update(name_zh_hans="实体卡")
        filled = services.catalog_convert_to_traditional(user=manager)
        carrier.refresh_from_db()
        card_type.refresh_from_db()
        assert filled >= 2
        assert carrier.name_zh_hant == "中國移動"
        assert card_type.name_zh_hant == "實體卡"
        for channel in carrier.channels.all():
            if channel.label_zh_hans:
                assert channel.label_zh_hant
