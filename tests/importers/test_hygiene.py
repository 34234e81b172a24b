"""Imported text loses promotion, unknown links, trackers and raw HTML, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from guides.importers.hygiene import allowed_hosts, clean_text, host_allowed
from guides.models import Carrier
from guides.publishing.markup import render_markdown
from guides.tenancy import tenant_context

SAMPLES = Path(__file__).parent / "samples"


def cleaned(text: str, allowed=frozenset({"10086.cn"})):
    lines, removals = clean_text(text, set(allowed))
    return "\n".join(line for _n, line in lines), removals


def test_the_esim_sample_loses_each_promotion_and_reports_it_by_line():
    text = (SAMPLES / "esim_cancel_zh.md").read_text(encoding="utf-8")
    out, removals = cleaned(text)
    by_line = {r.line: r for r in removals}
    # title (line 1), body (lines 4, 6, 24, 25) and the last line (50)
    assert sorted(by_line) == [1, 4, 6, 24, 25, 50]
    assert out.splitlines()[0] == "# 中国移动 eSIM 注销全攻略"
    for gone in (
        "微信群",
        "t.me",
        "pixel.gif",
        "<script",
        "deals.example.org",
        "QQ群",
        "123456789",
    ):
        assert gone not in out
    # the allowed carrier website survives, as a link
    assert "[官方说明](https://www.10086.cn/support/esim.html)" in out
    assert "更多优惠请看这里" in out  # the words of a removed link stay, not its target
    assert "tracking image" in by_line[6].why or "跟踪" in by_line[6].why


@pytest.mark.parametrize(
    "line",
    [
        "加微信群交流：abc123",
        "扫码进群领取资料",
        "QQ群：987654321",
        "联系 QQ: 12345678 获取帮助",
        "更多内容见 t.me/somegroup",
        "WhatsApp: wa.me/8613800000000",
        "关注公众号领取福利",
        "Join our Telegram group for tips",
        "[点我](weixin://dl/chat)",
    ],
)
def test_promotional_lines_are_removed(line):
    out, removals = cleaned(f"保留这一行\n{line}\n")
    assert out.strip() == "保留这一行"
    assert [r.line for r in removals][-1] == 2


def test_scanning_a_qr_code_to_activate_an_esim_is_not_promotion():
    out, removals = cleaned("在手机设置中扫码激活 eSIM\n")
    assert out.strip() == "在手机设置中扫码激活 eSIM" and removals == []


def test_links_and_images_survive_only_on_allowed_hosts():
    text = (
        "见 [官网](https://shop.10086.cn/a) 和 [别处](https://evil.example/a)\n"
        "![图](https://img.10086.cn/a.png) ![](https://stats.example/1x1.gif)\n"
        "裸链接 https://evil.example/b 与 https://www.10086.cn/c\n"
        "[脚本](javascript:alert(1))\n"
    )
    out, removals = cleaned(text)
    assert "https://shop.10086.cn/a" in out and "https://img.10086.cn/a.png" in out
    assert "https://www.10086.cn/c" in out
    assert "evil.example" not in out and "stats.example" not in out
    assert "javascript" not in out
    assert len(removals) == 4


def test_a_promotional_heading_keeps_its_real_title():
    out, _removals = cleaned("## 注销教程加微信群领福利\n## 办理方法 | 扫码进群\n")
    assert out.splitlines() == ["## 注销教程", "## 办理方法"]


def test_raw_html_never_survives_and_the_markdown_renders_safely():
    text = (
        '<div onclick="x()">正文</div>\n<iframe src="https://evil.example"></iframe>\n'
        "<img src=https://evil.example/t.gif>\n<!-- 注释 -->\n**加粗**\n"
    )
    out, removals = cleaned(text)
    html = render_markdown(out)
    assert "<div" not in out and "iframe" not in html and "onclick" not in html
    assert "<img" not in html and "注释" not in html
    assert "<strong>加粗</strong>" in html and "正文" in html
    assert len(removals) >= 4


@pytest.mark.django_db
def test_the_allowlist_is_the_tenants_domains_carrier_websites_and_extra_hosts(
    tenant_a, tenant_b
):
    tenant_a.link_allowlist = ["docs.partner.example", "https://help.other.example/x"]
    tenant_a.save()
    with tenant_context(tenant_a):
        Carrier.objects.create(
            tenant=tenant_a, slug="cm", name="CM", website="https://www.10086.cn/"
        )
    with tenant_context(tenant_b):
        Carrier.objects.create(
            tenant=tenant_b, slug="cu", name="CU", website="https://www.10010.com/"
        )
    allowed = allowed_hosts(tenant_a)
    assert {
        "alpha.test",
        "10086.cn",
        "docs.partner.example",
        "help.other.example",
    } <= allowed
    assert host_allowed("m.10086.cn", allowed)  # subdomains of an allowed host
    assert not host_allowed("10086.cn.evil.example", allowed)
    # another tenant's carrier website and domain are not allowed
    assert not host_allowed("www.10010.com", allowed)
    assert not host_allowed("beta.test", allowed)
