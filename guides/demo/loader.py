"""Load the demo tenants from ``guides.demo.data`` through the services.

Idempotent: anything that already exists (matched by slug or username) is
left exactly as it is, so running it twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from guides import services
from guides.demo import data
from guides.models import Article, CardType, Carrier, Membership
from guides.tenancy import tenant_context

DEMO_COMMENT = "Demo data"


def translated(field: str, values: dict[str, str] | None) -> dict[str, str]:
    """Turn ``{"zh-hans": "…", "en": "…"}`` into per-language column kwargs."""
    return {
        build_localized_fieldname(field, lang): text
        for lang, text in (values or {}).items()
    }


def _user(spec: dict, tenant, role: str):
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec["username"]).first()
    if user is None:
        user = user_model.objects.create_user(
            username=spec["username"],
            email=spec.get("email", ""),
            password=spec["password"],
            is_staff=True,
        )
    if not Membership.objects.filter(tenant=tenant, user=user).exists():
        services.membership_set(tenant=tenant, user=user, role=role)
    return user


def _carrier(spec: dict, position: int) -> Carrier:
    carrier = Carrier.objects.filter(slug=spec["slug"]).first()
    if carrier is not None:
        return carrier
    return services.carrier_save(
        carrier=Carrier(
            slug=spec["slug"],
            website=spec.get("website", ""),
            sort_order=position,
            **translated("name", spec["name"]),
            **translated("description", spec.get("description")),
        ),
        user=None,
        channels=[
            {
                "kind": channel["kind"],
                "value": channel["value"],
                **translated("label", channel["label"]),
                **translated("opening_hours", channel.get("opening_hours")),
            }
            for channel in spec.get("channels", [])
        ],
        comment=DEMO_COMMENT,
    )


def _card_type(spec: dict, position: int) -> CardType:
    card_type = CardType.objects.filter(slug=spec["slug"]).first()
    if card_type is not None:
        return card_type
    return services.card_type_save(
        card_type=CardType(
            slug=spec["slug"],
            sort_order=position,
            **translated("name", spec["name"]),
            **translated("description", spec.get("description")),
        ),
        user=None,
        comment=DEMO_COMMENT,
    )


def _parts(spec: dict, carrier: Carrier | None) -> dict[str, list[dict]]:
    channels = list(carrier.channels.all()) if carrier else []
    steps = []
    for step in spec.get("steps", []):
        index = step.get("channel")
        minutes = step.get("duration_minutes")
        steps.append(
            {
                **translated("title", step["title"]),
                **translated("body", step.get("body")),
                "channel": channels[index] if index is not None else None,
                "duration": timedelta(minutes=minutes) if minutes else None,
            }
        )
    return {
        "steps": steps,
        "requirements": [
            {"kind": r["kind"], **translated("text", r["text"])}
            for r in spec.get("requirements", [])
        ],
        "tips": [
            {"kind": t["kind"], **translated("text", t["text"])}
            for t in spec.get("tips", [])
        ],
        "faqs": [
            {
                **translated("question", f["question"]),
                **translated("answer", f["answer"]),
            }
            for f in spec.get("faqs", [])
        ],
    }


ARTICLE_FIELDS = ("title", "summary", "introduction", "estimated_time", "fee_note")


def _article(spec: dict, carriers, card_types, editor, reviewer, verified=None) -> bool:
    if Article.objects.filter(slug=spec["slug"]).exists():
        return False
    carrier = carriers.get(spec.get("carrier")) if spec.get("carrier") else None
    fields = {}
    for name in ARTICLE_FIELDS:
        fields.update(translated(name, spec.get(name)))
    article = services.article_create(
        user=editor,
        slug=spec["slug"],
        carrier=carrier,
        card_type=card_types.get(spec.get("card_type"))
        if spec.get("card_type")
        else None,
        parts=_parts(spec, carrier),
        comment="First draft",
        **fields,
    )
    for change in spec.get("history", []):
        changed = {}
        for name, values in change.get("fields", {}).items():
            changed.update(translated(name, values))
        services.article_update(
            article=article, user=editor, comment=change["comment"], **changed
        )
    if spec.get("status") == "published":
        services.article_submit(article=article, user=editor)
        services.article_publish(
            article=article, user=reviewer, comment="Demo publication"
        )
    if verified:
        days, comment = verified
        services.article_verify(
            article=article,
            user=reviewer,
            comment=comment,
            verified_at=timezone.now() - timedelta(days=days),
        )
    return True


def load_demo(stdout=None) -> dict[str, int]:
    """Create the demo tenants; return how many articles each got this time."""
    created: dict[str, int] = {}
    for spec in data.TENANTS:
        with transaction.atomic():
            tenant, _ = services.tenant_create(
                slug=spec["slug"],
                name=spec["name"],
                hosts=spec["domains"],
                languages=spec["languages"],
                default_language=spec["default_language"],
                primary_color=spec.get("primary_color", "#0b5cad"),
                logo=spec.get("logo", ""),
            )
            with tenant_context(tenant):
                editor = _user(spec["editor"], tenant, Membership.Role.EDITOR)
                reviewer = _user(spec["reviewer"], tenant, Membership.Role.REVIEWER)
                _user(spec["manager"], tenant, Membership.Role.MANAGER)
                carriers = {
                    c["slug"]: _carrier(c, i) for i, c in enumerate(spec["carriers"])
                }
                card_types = {
                    c["slug"]: _card_type(c, i)
                    for i, c in enumerate(spec["card_types"])
                }
                verifications = spec.get("verifications", {})
                created[tenant.slug] = sum(
                    _article(
                        a,
                        carriers,
                        card_types,
                        editor,
                        reviewer,
                        verifications.get(a["slug"]),
                    )
                    for a in spec["articles"]
                )
    return created
