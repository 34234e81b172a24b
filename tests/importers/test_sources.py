"""Bad input gets a clear message: empty, binary, GBK, other encodings, too large."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation

from guides.importers.sources import (
    DEFAULT_MAX_BYTES,
    Source,
    SourceError,
    decode,
    normalised_name,
    source_key,
)


@pytest.fixture(autouse=True)
def _english():
    """Report messages are translated; these tests read the English ones."""
    with translation.override("en"):
        yield


def test_utf8_with_a_byte_order_mark_and_windows_line_ends_is_read():
    text, encoding = decode(
        Source(name="a.md", data="\ufeff# 标题\r\n正文\r\n".encode())
    )
    assert text == "# 标题\n正文\n" and encoding == "utf-8-sig"


def test_gbk_is_read_as_chinese():
    data = "# 注销流量卡\n步骤一：拨打10086\n".encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the sample really is not UTF-8
    text, encoding = decode(Source(name="gbk.md", data=data))
    assert text == "# 注销流量卡\n步骤一：拨打10086\n" and encoding == "gb18030"


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", "\ufeff".encode()])
def test_an_empty_file_is_refused(data):
    with pytest.raises(SourceError, match="empty"):
        decode(Source(name="empty.md", data=data))


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(1, 32)) * 20,  # control characters without a NUL
    ],
)
def test_a_binary_file_is_refused(data):
    with pytest.raises(SourceError, match="binary"):
        decode(Source(name="image.md", data=data))


def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused():
    with pytest.raises(SourceError, match="neither UTF-8 nor GBK"):
        decode(Source(name="latin.md", data=b"# caf\xff\xfe\xff title\n"))


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path):
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.write(b"# big\n")
        handle.write(b"x" * (10 * 1024 * 1024))
    source = Source.from_path(str(big), name="big.md")
    assert source.size > 10 * 1024 * 1024 > DEFAULT_MAX_BYTES
    with pytest.raises(SourceError, match="not imported"):
        decode(source)
    # an upload whose size is not known up front is caught after reading
    with pytest.raises(SourceError, match="larger than"):
        decode(Source(name="big.md", data=big.read_bytes()[: DEFAULT_MAX_BYTES + 1]))


@override_settings(HELPCENTER_IMPORT_MAX_BYTES=100)
def test_the_limit_is_a_setting():
    with pytest.raises(SourceError):
        decode(Source(name="a.md", data=b"# t\n" + b"a" * 200))
    assert decode(Source(name="a.md", data=b"# t\n" + b"a" * 50))[0].startswith("# t")


def test_source_keys_are_stable_across_spellings_of_the_same_name():
    assert normalised_name("./Guides\\eSIM.md") == "guides/esim.md"
    assert normalised_name(".hidden.md") == ".hidden.md"
    assert source_key("./guides/esim.md", 0) == source_key("guides/ESIM.md", 0)
    assert source_key("esim.md", 0) != source_key("esim.md", 1)
    assert len(source_key("x" * 500, 12)) <= 255
