"""Test data: factory_boy factories whose ``create`` calls the services.

Every row is written as production writes it (``guides.services``): one
tenant-tagged revision, the same validation, the same effects scheduled after
commit. Catalogue and article factories write as the system (``user=None``)
unless given a user. The ``make_*`` helpers keep the short calls the tests use.
"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from guides import services
from guides.models import (
    Article,
    CardType,
    Carrier,
    Channel,
    Membership,
    SynonymGroup,
    Tenant,
)
from guides.tenancy import tenant_context


class ServiceFactory(factory.Factory):
    """A factory that only creates, through a service (``_create``)."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError(
            f"{cls.__name__} writes through the services; call it to create."
        )


class TenantFactory(ServiceFactory):
    """A help center and its domains, by ``services.tenant_create``."""

    class Meta:
        model = Tenant

    slug = factory.Sequence(lambda n: f"tenant{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())
    hosts = factory.LazyAttribute(lambda o: [f"{o.slug}.test"])
    languages = factory.LazyFunction(lambda: ["zh-hans", "en"])

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Tenant:
        tenant, _created = services.tenant_create(**kwargs)
        return tenant


class UserFactory(factory.Factory):
    """A staff user (password ``pw-<username>``), a member of ``tenant`` if given.

    Users are the installation's, not a tenant's; the membership is written
    by ``services.membership_set``.
    """

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyAttribute(lambda o: f"pw-{o.username}")
    is_staff = True
    tenant = None
    role = Membership.Role.EDITOR

    @classmethod
    def _create(cls, model_class, *args, tenant=None, role=None, **kwargs):
        user = model_class.objects.create_user(**kwargs)
        if tenant is not None:
            services.membership_set(tenant=tenant, user=user, role=role)
        return user


def _hotline(value: str) -> dict:
    return {
        "kind": Channel.Kind.HOTLINE,
        "label_zh_hans": "客服热线",
        "label_en": "Hotline",
        "value": value,
    }


class CarrierFactory(ServiceFactory):
    """A carrier with its channels (a hotline), by ``services.carrier_save``."""

    class Meta:
        model = Carrier

    class Params:
        hotline = "10086"

    tenant = None
    user = None
    slug = factory.Sequence(lambda n: f"carrier-{n}")
    name_zh_hans = "中国移动"
    name_en = "China Mobile"
    channels = factory.LazyAttribute(lambda o: [_hotline(o.hotline)])

    @classmethod
    def _create(cls, model_class, *args, tenant, user, channels, **fields):
        with tenant_context(tenant):
            return services.carrier_save(
                carrier=model_class(**fields), user=user, channels=channels
            )


class CardTypeFactory(ServiceFactory):
    """A card type, by ``services.card_type_save``."""

    class Meta:
        model = CardType

    tenant = None
    user = None
    slug = factory.Sequence(lambda n: f"card-{n}")
    name_zh_hans = "eSIM"
    name_en = "eSIM"

    @classmethod
    def _create(cls, model_class, *args, tenant, user, **fields):
        with tenant_context(tenant):
            return services.card_type_save(card_type=model_class(**fields), user=user)


class SynonymGroupFactory(ServiceFactory):
    """A synonym group, by ``services.synonym_group_save``."""

    class Meta:
        model = SynonymGroup

    tenant = None
    user = None
    terms = factory.LazyFunction(lambda: ["注销", "销户", "cancel"])

    @classmethod
    def _create(cls, model_class, *args, tenant, user, **fields):
        with tenant_context(tenant):
            return services.synonym_group_save(
                synonym_group=model_class(**fields), user=user
            )


def step(n: int, **extra) -> dict:
    """Return step ``n`` as ``services.article_create`` takes it."""
    return {
        "title_zh_hans": f"第{n}步",
        "title_en": f"Step {n}",
        "body_zh_hans": f"步骤{n}说明",
        **extra,
    }


def article_parts(steps: int) -> dict[str, list[dict]]:
    """Return ``steps`` steps, a document to bring, a warning and an FAQ."""
    return {
        "steps": [step(n) for n in range(1, steps + 1)],
        "requirements": [
            {"kind": "document", "text_zh_hans": "身份证", "text_en": "ID card"}
        ],
        "tips": [
            {
                "kind": "warning",
                "text_zh_hans": "谨防诈骗",
                "text_en": "Beware of fraud",
            }
        ],
        "faqs": [
            {
                "question_zh_hans": "要多久？",
                "question_en": "How long?",
                "answer_zh_hans": "1 到 7 个工作日",
                "answer_en": "1 to 7 working days",
            }
        ],
    }


class ArticleFactory(ServiceFactory):
    """A draft article with its parts, by ``services.article_create``;
    ``publish=True`` also publishes it (``services.article_publish``)."""

    class Meta:
        model = Article

    class Params:
        steps = 3

    tenant = None
    user = None
    publish = False
    slug = factory.Sequence(lambda n: f"article-{n}")
    title_zh_hans = "注销 eSIM"
    title_en = "Cancel an eSIM"
    summary_zh_hans = "如何注销 eSIM"
    summary_en = "How to cancel an eSIM"
    parts = factory.LazyAttribute(lambda o: article_parts(o.steps))

    @classmethod
    def _create(cls, model_class, *args, tenant, user, publish, **fields):
        with tenant_context(tenant):
            article = services.article_create(user=user, **fields)
            if publish:
                services.article_publish(article=article, user=None)
                article.refresh_from_db()
        return article


# --- the short calls the tests use ----------------------------------------------


def make_tenant(
    slug: str | None = None, hosts=None, languages=None, **kwargs
) -> Tenant:
    given = {"slug": slug, "hosts": hosts, "languages": languages}
    return TenantFactory(**{k: v for k, v in given.items() if v}, **kwargs)


def make_user(
    username: str | None = None, *, tenant: Tenant | None = None, role=None, **kwargs
):
    if username is not None:
        kwargs["username"] = username
    if role is not None:
        kwargs["role"] = role
    return UserFactory(tenant=tenant, **kwargs)


def make_carrier(
    tenant: Tenant, slug: str = "china-mobile", hotline: str = "10086"
) -> Carrier:
    return CarrierFactory(tenant=tenant, slug=slug, hotline=hotline)


def make_card_type(tenant: Tenant, slug: str = "esim") -> CardType:
    return CardTypeFactory(tenant=tenant, slug=slug)


def make_article(
    tenant: Tenant,
    slug: str = "cancel-esim",
    *,
    steps: int = 3,
    user=None,
    publish: bool = False,
    **fields,
) -> Article:
    return ArticleFactory(
        tenant=tenant, slug=slug, steps=steps, user=user, publish=publish, **fields
    )
