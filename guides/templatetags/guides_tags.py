"""Template helpers of the public site."""

from __future__ import annotations

import json

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

register = template.Library()


def _script_safe(text: str) -> str:
    """Escape what could end a <script> element or open a comment in it.

    Chained replace: ``str.translate`` with a mapping runs a Python lookup per
    character, which showed on the article page's profile.
    """
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@register.filter
def ld_json(items) -> SafeString:
    """Render schema.org objects as ``<script type="application/ld+json">`` tags."""
    blocks = []
    for item in items or ():
        if item:
            text = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            blocks.append(_script_safe(text))
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        ((mark_safe(block),) for block in blocks),
    )


@register.filter
def duration(seconds) -> str:
    """Say how long a step takes, in minutes, hours or days."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    if seconds <= 0:
        return ""
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        text = ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
        if rest:
            text += " " + ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest}
        return text
    days = round(hours / 24)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
