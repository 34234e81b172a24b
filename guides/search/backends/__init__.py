"""Search backends, chosen by ``settings.HELPCENTER_SEARCH_BACKENDS``.

The setting is shaped like ``CACHES``::

    HELPCENTER_SEARCH_BACKENDS = {
        "default": {"BACKEND": "guides.search.backends.sqlite"},
    }

Each backend module exposes a ``SearchBackend`` class built from that entry.
Backends only match and rank analysed tokens; the analyser, synonyms, query
logging and presentation live in ``guides.search.searching``.

Scoped tokens (migration 0004): every token the index holds is prefixed with
its document's tenant and language, ``t12enq`` + ``card`` -> ``t12enqcard``.
A shared index then keeps one posting list per tenant and language for each
word, so matching ``card`` for tenant 12 never reads another tenant's rows.
The prefix is ``t``, the tenant id's digits, the language code without ``-``
and ``q`` (no language code holds a ``q``), so a scoped token decodes one way
only and two tenants' tokens never collide. FTS5's ``unicode61`` and
PostgreSQL's ``simple`` parser keep such a token whole: it is letters and
digits only. ``scope_text`` builds what the ``*_tokens`` columns hold;
queries prefix their tokens with the same ``scope_prefix``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Only word characters reach a backend: no quote, bracket, star, colon or
# operator can change the meaning of a match expression.
_SAFE_TOKEN = re.compile(r"[^\W_]+")
MAX_GROUPS = 12


def safe_tokens(tokens) -> list[str]:
    """Return the token parts that are plain letters and digits."""
    out: list[str] = []
    for token in tokens:
        out.extend(_SAFE_TOKEN.findall(str(token)))
    return out


def clean_groups(groups) -> list[list[str]]:
    """Return query groups with unsafe characters removed and empties dropped.

    A group is a list of alternative tokens (a word and its synonyms); a
    document must match one token of every group (or of any group, for an
    ``any`` search).
    """
    cleaned = []
    for group in groups:
        alternatives = list(dict.fromkeys(t for t in safe_tokens(group) if t))
        if alternatives and alternatives not in cleaned:
            cleaned.append(alternatives[:16])
    return cleaned[:MAX_GROUPS]


def scope_prefix(tenant_id: int, language: str) -> str:
    """Return the prefix of tenant ``tenant_id``'s tokens in ``language``."""
    code = "".join(c for c in str(language).lower() if c.isascii() and c.isalnum())
    if "q" in code:
        # "q" ends the prefix; a code holding one could alias another scope.
        raise ValueError(f"Language code {language!r} cannot name a search scope.")
    return f"t{int(tenant_id)}{code}q"


def scope_text(prefix: str, text: str) -> str:
    """Return the space-separated tokens of ``text`` with ``prefix`` on each.

    Tokens are cut into the same letter-and-digit parts as queries
    (``safe_tokens``), so no character a database tokenizer might split on
    can leave part of a token without its scope.
    """
    return " ".join(prefix + part for part in safe_tokens((text or "").split()))


def unscope_text(prefix: str, text: str) -> str:
    """Return the tokens of ``text`` that carry ``prefix``, without it."""
    size = len(prefix)
    return " ".join(t[size:] for t in (text or "").split() if t.startswith(prefix))


@dataclass
class Match:
    """One matching document, before the page is loaded."""

    id: int
    carrier_id: int | None
    card_type_id: int | None
    rank: float


@dataclass
class MatchSet:
    """Every match of a query in one tenant and language, best first."""

    matches: list[Match] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.matches)


class BaseSearchBackend:
    """Match analysed tokens in one tenant and language; rank best first."""

    vendor = ""

    def __init__(self, alias: str, params: dict):
        self.alias = alias
        self.params = params
        self.options = params.get("OPTIONS", {})

    def match(
        self,
        *,
        tenant_id: int,
        language: str,
        groups: list[list[str]],
        mode: str = "all",
        prefix: bool = False,
        title_only: bool = False,
        limit: int | None = None,
    ) -> MatchSet:
        """Return the matches of ``groups`` (see ``clean_groups``), best first.

        ``mode="all"`` needs every group, ``"any"`` one of them; ``prefix``
        lets the last group's tokens match word beginnings (search as you
        type); ``title_only`` matches titles only. A blank query matches
        nothing.
        """
        groups = clean_groups(groups)
        if not groups:
            return MatchSet()
        prefix_text = scope_prefix(tenant_id, language)
        rows = self._match(
            tenant_id=tenant_id,
            language=language,
            groups=[[prefix_text + t for t in group] for group in groups],
            mode=mode,
            prefix=prefix,
            title_only=title_only,
            limit=limit,
        )
        return MatchSet([Match(*row) for row in rows])

    def title_summary_words(self, *, tenant_id: int, language: str) -> set[str]:
        """Return the distinct words of the titles and summaries in one scope.

        Spelling correction compares misspelled query words with these.
        """
        return set(self.title_summary_counts(tenant_id=tenant_id, language=language))

    def title_summary_counts(self, *, tenant_id: int, language: str) -> dict[str, int]:
        """Return the words of the titles and summaries in one scope, with how
        many documents use each (a correction prefers the tenant's commonest
        word). This fallback reads the token columns; the backends ask their
        index.
        """
        from guides.models import SearchDocument

        prefix = scope_prefix(tenant_id, language)
        found: dict[str, int] = {}
        rows = SearchDocument.unscoped.filter(
            tenant_id=tenant_id, language=language
        ).values_list("title_tokens", "summary_tokens")
        for title_tokens, summary_tokens in rows:
            words = unscope_text(prefix, f"{title_tokens} {summary_tokens}")
            for word in set(words.split()):
                found[word] = found.get(word, 0) + 1
        return found

    def _match(self, **kwargs):  # pragma: no cover - abstract
        """Return ``(id, carrier_id, card_type_id, rank)`` rows, best first.

        ``groups`` hold scoped tokens (``scope_prefix`` + token).
        """
        raise NotImplementedError


@lru_cache(maxsize=8)
def _load(alias: str, backend_path: str, options: tuple):
    try:
        module = import_module(backend_path)
        cls = module.SearchBackend
    except (ImportError, AttributeError) as exc:
        raise ImproperlyConfigured(
            f"HELPCENTER_SEARCH_BACKENDS[{alias!r}]: cannot load {backend_path!r} ({exc})."
        ) from exc
    return cls(alias, {"BACKEND": backend_path, "OPTIONS": dict(options)})


def get_search_backend(alias: str = "default") -> BaseSearchBackend:
    """Return the configured search backend ``alias``.

    Raise ``ImproperlyConfigured`` for an alias that is not configured or a
    backend module that does not exist.
    """
    backends = getattr(settings, "HELPCENTER_SEARCH_BACKENDS", {})
    if alias not in backends:
        raise ImproperlyConfigured(
            f"Unknown search backend {alias!r}; HELPCENTER_SEARCH_BACKENDS has "
            f"{', '.join(sorted(backends)) or 'none'}."
        )
    params = backends[alias]
    backend_path = params.get("BACKEND", "")
    options = tuple(sorted((params.get("OPTIONS") or {}).items()))
    return _load(alias, backend_path, options)
