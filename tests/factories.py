"""Test data builders. Everything goes through the services, as in production."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from guides import services
from guides.models import Article, CardType, Carrier, Channel, Membership, Tenant
from guides.tenancy import tenant_context

_seq = itertools.count(1)


def make_tenant(
    slug: str | None = None, hosts=None, languages=None, **kwargs
) -> Tenant:
    slug = slug or f"tenant{next(_seq)}"
    tenant, _ = services.tenant_create(
        slug=slug,
        name=kwargs.pop("name", slug.title()),
        hosts=hosts or [f"{slug}.test"],
        languages=languages or ["zh-hans", "en"],
        **kwargs,
    )
    return tenant


def make_user(
    username: str | None = None, *, tenant: Tenant | None = None, role=None, **kwargs
):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, is_staff=True, **kwargs
    )
    if tenant is not None:
        services.membership_set(
            tenant=tenant, user=user, role=role or Membership.Role.EDITOR
        )
    return user


def make_carrier(
    tenant: Tenant, slug: str = "china-mobile", hotline: str = "10086"
) -> Carrier:
    with tenant_context(tenant):
        carrier = Carrier.objects.create(
            tenant=tenant, slug=slug, name_zh_hans="中国移动", name_en="China Mobile"
        )
        Channel.objects.create(
            tenant=tenant,
            carrier=carrier,
            kind=Channel.Kind.HOTLINE,
            label_zh_hans="客服热线",
            label_en="Hotline",
            value=hotline,
        )
    return carrier


def make_card_type(tenant: Tenant, slug: str = "esim") -> CardType:
    with tenant_context(tenant):
        return CardType.objects.create(
            tenant=tenant, slug=slug, name_zh_hans="eSIM", name_en="eSIM"
        )


def step(n: int, **extra) -> dict:
    return {
        "title_zh_hans": f"第{n}步",
        "title_en": f"Step {n}",
        "body_zh_hans": f"步骤{n}说明",
        **extra,
    }


def make_article(
    tenant: Tenant,
    slug: str = "cancel-esim",
    *,
    steps: int = 3,
    user=None,
    publish: bool = False,
    **fields,
) -> Article:
    fields.setdefault("title_zh_hans", "注销 eSIM")
    fields.setdefault("title_en", "Cancel an eSIM")
    fields.setdefault("summary_zh_hans", "如何注销 eSIM")
    fields.setdefault("summary_en", "How to cancel an eSIM")
    with tenant_context(tenant):
        article = services.article_create(
            user=user,
            slug=slug,
            parts={
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
            },
            **fields,
        )
        if publish:
            services.article_publish(article=article, user=None)
            article.refresh_from_db()
    return article
