"""A realistic search corpus: two tenants, Chinese and English procedures.

Built through the services (create, publish, unpublish), with the after-commit
hooks run, so the index is exactly what production would hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guides import services
from guides.models import CardType, Carrier, Channel, SynonymGroup
from guides.tenancy import tenant_context
from tests.factories import make_tenant

CARRIERS = {
    "cmcc": ("中国移动", "China Mobile", "10086"),
    "unicom": ("中国联通", "China Unicom", "10010"),
    "telecom": ("中国电信", "China Telecom", "10000"),
    "transit": ("城市一卡通", "City Transit Card Co.", "96166"),
}
CARD_TYPES = {
    "ten-day": ("10日卡", "10-day card"),
    "data-card": ("流量卡", "Data card"),
    "esim": ("eSIM", "eSIM"),
    "5g": ("5G卡", "5G card"),
    "transit-card": ("公交卡", "Transit card"),
    "sim": ("手机卡", "SIM card"),
}

# slug: carrier, card type, (zh title, en title), (zh summary, en summary),
# steps [(zh, en, uses hotline)].
ALPHA_ARTICLES = {
    "cmcc-10day-cancel": (
        "cmcc",
        "ten-day",
        ("如何注销中国移动10日卡", "How to cancel a China Mobile 10-day card"),
        (
            "到期前注销预付费10日卡，避免继续扣费。",
            "Cancel the prepaid 10-day card before it renews so no more fees are charged.",
        ),
        [
            (
                "拨打客服热线申请注销",
                "Call the hotline and ask to cancel the card",
                True,
            ),
            ("核对身份信息", "Confirm your identity", False),
            ("剪卡并保留回执", "Cut the card and keep the receipt", False),
        ],
    ),
    "unicom-data-card-close": (
        "unicom",
        "data-card",
        ("中国联通流量卡销户流程", "Closing a China Unicom data card account"),
        (
            "流量卡不用了，按以下步骤销户。",
            "Close the account of a data card you no longer use.",
        ),
        [
            ("拨打热线预约销户", "Call the hotline to book the closure", True),
            ("携带身份证到营业厅", "Bring your ID card to a store", False),
        ],
    ),
    "cmcc-esim-cancel": (
        "cmcc",
        "esim",
        ("中国移动 eSIM 注销", "Cancel a China Mobile eSIM"),
        (
            "在手表或手机上注销 eSIM 号码。",
            "Remove the eSIM profile from your watch or phone.",
        ),
        [
            (
                "在中国移动 App 中解绑设备",
                "Unbind the device in the China Mobile app",
                False,
            ),
            ("拨打热线确认", "Call the hotline to confirm", True),
        ],
    ),
    "telecom-5g-cancel": (
        "telecom",
        "5g",
        ("中国电信5G卡注销", "Cancel a China Telecom 5G card"),
        (
            "5G套餐合约到期后可以注销。",
            "You can cancel once the 5G plan contract has ended.",
        ),
        [
            ("确认合约已到期", "Check that the contract has ended", False),
            ("拨打热线办理", "Call the hotline", True),
        ],
    ),
    "telecom-balance-refund": (
        "telecom",
        "sim",
        ("中国电信销户余额退费", "Balance refund when closing a China Telecom account"),
        (
            "销户后剩余话费可以退还。",
            "Get the remaining balance back after closing the account.",
        ),
        [
            ("拨打热线申请退费", "Call the hotline to ask for the refund", True),
            ("提供银行账户", "Give a bank account for the transfer", False),
        ],
    ),
    "transit-card-refund": (
        "transit",
        "transit-card",
        ("公交卡退卡及押金退还", "Return a transit card and get the deposit back"),
        (
            "在服务网点退卡，押金和余额原路退还。",
            "Return the card at a service point; the deposit and balance are refunded.",
        ),
        [("到服务网点退卡", "Go to a service point", False)],
    ),
    "cmcc-number-porting": (
        "cmcc",
        "sim",
        ("中国移动携号转网办理", "Port your China Mobile number to another carrier"),
        (
            "保留号码，更换运营商。",
            "Keep your phone number and move to another carrier.",
        ),
        [("发送短信查询是否可以转网", "Send a text to check eligibility", False)],
    ),
    "unicom-lost-sim": (
        "unicom",
        "sim",
        (
            "中国联通手机卡挂失补卡",
            "Report a lost China Unicom SIM and get a replacement",
        ),
        (
            "手机卡丢失后先挂失，再补卡。",
            "Block the lost SIM first, then get a replacement card.",
        ),
        [
            ("拨打热线挂失", "Call the hotline to block the SIM", True),
            ("到营业厅补卡", "Get a new card at a store", False),
        ],
    ),
    "cmcc-international-roaming": (
        "cmcc",
        "sim",
        ("中国移动国际漫游开通", "Turn on China Mobile international roaming"),
        ("出国前开通国际漫游。", "Turn on roaming before you travel abroad."),
        [("在 App 中开通漫游", "Turn it on in the app", False)],
    ),
    "cmcc-real-name": (
        "cmcc",
        "sim",
        ("中国移动实名认证", "Real-name registration for China Mobile numbers"),
        (
            "新号码需要实名认证后才能使用。",
            "New numbers must be registered with your real name.",
        ),
        [("上传身份证照片", "Upload a photo of your ID card", False)],
    ),
}

BETA_ARTICLES = {
    "beta-esim-cancel": (
        "cmcc",
        "esim",
        ("注销手表 eSIM", "Cancel a smartwatch eSIM"),
        (
            "Beta 帮助中心：注销手表上的 eSIM。",
            "Beta help center: cancel the eSIM of a smartwatch.",
        ),
        [("打开手表 App", "Open the watch app", False)],
    ),
    "beta-5g-cancel": (
        "cmcc",
        "5g",
        ("5G卡注销指南", "Guide to cancelling a 5G card"),
        ("Beta 帮助中心的5G卡注销。", "Cancelling a 5G card, Beta help center."),
        [("拨打热线", "Call the hotline", True)],
    ),
}

DRAFT_SLUG = "secret-draft"
UNPUBLISHED_SLUG = "withdrawn-procedure"
SYNONYMS = [
    ["注销", "销户", "cancel", "deregister", "close"],
    ["退卡", "退还", "return"],
]


@dataclass
class Corpus:
    tenant_a: object
    tenant_b: object
    articles: dict = field(default_factory=dict)


def _catalogue(tenant):
    carriers, channels, cards = {}, {}, {}
    with tenant_context(tenant):
        for order, (slug, (zh, en, hotline)) in enumerate(CARRIERS.items()):
            carrier = Carrier.objects.create(
                tenant=tenant, slug=slug, name_zh_hans=zh, name_en=en, sort_order=order
            )
            carriers[slug] = carrier
            channels[slug] = Channel.objects.create(
                tenant=tenant,
                carrier=carrier,
                kind=Channel.Kind.HOTLINE,
                label_zh_hans="客服热线",
                label_en="Hotline",
                value=hotline,
            )
        for order, (slug, (zh, en)) in enumerate(CARD_TYPES.items()):
            cards[slug] = CardType.objects.create(
                tenant=tenant, slug=slug, name_zh_hans=zh, name_en=en, sort_order=order
            )
    return carriers, channels, cards


def _create(tenant, slug, spec, catalogue, *, publish=True, capture):
    carrier_slug, card_slug, titles, summaries, steps = spec
    carriers, channels, cards = catalogue
    parts = [
        {
            "title_zh_hans": zh,
            "title_en": en,
            "body_zh_hans": zh + "。",
            "body_en": en + ".",
            **({"channel": channels[carrier_slug]} if hotline else {}),
        }
        for zh, en, hotline in steps
    ]
    with tenant_context(tenant), capture(execute=True):
        article = services.article_create(
            user=None,
            slug=slug,
            carrier=carriers[carrier_slug],
            card_type=cards[card_slug],
            title_zh_hans=titles[0],
            title_en=titles[1],
            summary_zh_hans=summaries[0],
            summary_en=summaries[1],
            parts={"steps": parts},
        )
        if publish:
            services.article_publish(article=article, user=None)
    return article


def build_corpus(capture) -> Corpus:
    """Create tenants alpha (alpha.test) and beta (beta.test) with their procedures.

    ``capture`` is pytest-django's ``django_capture_on_commit_callbacks``.
    """
    tenant_a = make_tenant("alpha", hosts=["alpha.test", "www.alpha.test"])
    tenant_b = make_tenant("beta", hosts=["beta.test"])
    corpus = Corpus(tenant_a, tenant_b)
    for tenant, articles in ((tenant_a, ALPHA_ARTICLES), (tenant_b, BETA_ARTICLES)):
        catalogue = _catalogue(tenant)
        for slug, spec in articles.items():
            corpus.articles[slug] = _create(
                tenant, slug, spec, catalogue, capture=capture
            )
        with tenant_context(tenant):
            for terms in SYNONYMS:
                SynonymGroup.objects.create(tenant=tenant, terms=terms)
        if tenant is tenant_a:
            spec = (
                "cmcc",
                "esim",
                ("草稿注销秘密", "Secret draft cancel esim"),
                ("草稿", "draft"),
                [("第一步", "First", False)],
            )
            corpus.articles[DRAFT_SLUG] = _create(
                tenant, DRAFT_SLUG, spec, catalogue, publish=False, capture=capture
            )
            spec = (
                "cmcc",
                "esim",
                ("已撤下的注销 eSIM", "Withdrawn cancel esim"),
                ("撤下", "withdrawn"),
                [("第一步", "First", False)],
            )
            withdrawn = _create(
                tenant, UNPUBLISHED_SLUG, spec, catalogue, capture=capture
            )
            with tenant_context(tenant), capture(execute=True):
                services.article_unpublish(article=withdrawn, user=None)
            corpus.articles[UNPUBLISHED_SLUG] = withdrawn
    return corpus
