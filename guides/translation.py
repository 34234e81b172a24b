"""Register every human-readable field with django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from guides.models import (
    FAQ,
    Article,
    CardType,
    Carrier,
    Channel,
    Requirement,
    Step,
    Tip,
)


@register(Carrier)
class CarrierTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Channel)
class ChannelTranslationOptions(TranslationOptions):
    fields = ("label", "opening_hours")


@register(CardType)
class CardTypeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "introduction", "estimated_time", "fee_note")


@register(Step)
class StepTranslationOptions(TranslationOptions):
    fields = ("title", "body")


@register(Requirement)
class RequirementTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Tip)
class TipTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(FAQ)
class FAQTranslationOptions(TranslationOptions):
    fields = ("question", "answer")
