"""Read an imported file's bytes into text, or say clearly why not."""

from __future__ import annotations

import hashlib
import os
import posixpath
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".text")


class SourceError(ValueError):
    """The file cannot be imported; the message says why, for the report."""


@dataclass(frozen=True)
class Source:
    """One file to import: its name (relative, for the report and the key)."""

    name: str
    data: bytes | None = None
    size: int = 0
    path: str | None = None

    @classmethod
    def from_path(cls, path: str, *, name: str) -> Source:
        """Return a source for a file on disk, sized without reading it."""
        return cls(name=name, path=path, size=os.path.getsize(path))

    def read(self) -> bytes:
        """Return the bytes, at most one more than the size limit."""
        if self.data is not None:
            return self.data
        with open(self.path, "rb") as handle:
            return handle.read(max_bytes() + 1)


def max_bytes() -> int:
    """Return the largest file the importer accepts (``HELPCENTER_IMPORT_MAX_BYTES``)."""
    return int(getattr(settings, "HELPCENTER_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def normalised_name(name: str) -> str:
    """Return the stable form of a relative file name used in source keys."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/"))
    name = posixpath.normpath(name)
    # Drop leading "./" and "/" but keep a name's own leading dot (".notes.md"):
    # str.lstrip("./") would strip characters, not the prefix.
    while name.startswith(("./", "/")):
        name = name[1:] if name.startswith("/") else name[2:]
    return name.lower()


def source_key(name: str, index: int) -> str:
    """Return ``Article.source_key`` for procedure ``index`` of file ``name``."""
    digest = hashlib.sha256(normalised_name(name).encode("utf-8")).hexdigest()[:32]
    return f"import:{digest}:{index}"


def decode(source: Source) -> tuple[str, str]:
    """Return (text, encoding) of ``source`` or raise SourceError."""
    limit = max_bytes()
    if source.size > limit:
        raise SourceError(
            _("The file is %(size)s; files over %(limit)s are not imported.")
            % {"size": _megabytes(source.size), "limit": _megabytes(limit)}
        )
    data = source.read()
    if len(data) > limit:
        raise SourceError(
            _("The file is larger than %(limit)s; files over that are not imported.")
            % {"limit": _megabytes(limit)}
        )
    if not data.strip():
        raise SourceError(_("The file is empty."))
    if b"\x00" in data[:8192]:
        raise SourceError(_("This is a binary file, not Markdown or text."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(
            1
            for ch in text
            if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f"
        )
        if controls > max(2, len(text) // 100):
            raise SourceError(_("This is a binary file, not Markdown or text."))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise SourceError(_("The file is empty."))
        return unicodedata.normalize("NFC", text), encoding
    raise SourceError(
        _(
            "The file is neither UTF-8 nor GBK/GB18030 text; save it as UTF-8 and try again."
        )
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
