"""The Jinja2 environment of the public site's templates (``jinja2/``).

Why Jinja2 there and Django templates everywhere else: the article page is
rendered on every cache miss, and Django's template engine spent about
1.7 ms on it, half of a miss on the benchmark machine (docs/PERFORMANCE.md);
Jinja2 compiles templates to Python and renders the same page in a fraction
of that. The admin, e-mails and the article body rendered at publish time
(``templates/guides/includes/article_body.html``) stay Django templates.

Strings: templates call ``_("literal")`` (with ``|format(name=...)`` for
placeholders), the one form Django's ``makemessages`` extracts from them, so
the zh_Hans and en catalogues cover these templates like any other.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from markupsafe import Markup

from guides.publishing.typography import channel_view, text_lang
from guides.templatetags.guides_tags import duration, ld_json
from jinja2 import Environment


def truncatechars(value, length: int) -> str:
    """Django's ``truncatechars`` filter (an ellipsis within ``length``)."""
    return Truncator(value or "").chars(int(length))


def isoformat(value) -> str:
    """Django's ``date:'c'``: ISO 8601 in the current time zone."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat()


def lang_attr(text) -> Markup:
    """Return `` lang="zh-Hans"`` when ``text`` is Chinese on a page that is not."""
    tag = text_lang(str(text or ""), translation.get_language())
    return Markup(' lang="{}"').format(tag) if tag else Markup("")


def public_channel_view(channel) -> dict:
    """``channel_view`` of a ``Channel`` row, in the active language."""
    language = translation.get_language()
    return channel_view(
        {
            "kind": channel.kind,
            "label": channel.label,
            "value": channel.value,
            "href": channel.href,
            "opening_hours": channel.opening_hours,
        },
        language,
    )


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701  (Django's Jinja2 backend passes autoescape=True)
    # Django's gettext as plain globals (not the i18n extension's aliases,
    # which look the function up in the context on every call): _() returns
    # the text and |format fills placeholders, so a literal stays
    # extractable (see the module docstring).
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    env.filters.update(
        ld_json=ld_json,
        duration=duration,
        truncatechars=truncatechars,
        isoformat=isoformat,
        channel_view=public_channel_view,
        lang_attr=lang_attr,
    )
    return env
