"""Issue #15: the coverage report, carrier x card type x language.

Each cell shows the procedures of a carrier and card type in one language
as published, draft, outdated or missing, and links to each procedure, or
to the add form with the carrier, card type and language filled in. Totals
below, a CSV of the same cells, a fixed number of queries whatever the
number of articles, and nothing of another tenant.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client

from guides.models import Membership
from tests.admin.test_dashboard import make_outdated, signed_in
from tests.factories import CardTypeFactory, CarrierFactory, make_article, make_user

pytestmark = pytest.mark.django_db

HOST = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
BETA = {"HTTP_HOST": "beta.test", "HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/admin/coverage/"
CSV_URL = "/admin/coverage.csv"
Role = Membership.Role


@pytest.fixture
def editor(tenant_a):
    return make_user("eddie", tenant=tenant_a, role=Role.EDITOR)


@pytest.fixture
def catalogue(tenant_a):
    """Alpha: two carriers and two card types."""
    return {
        "mobile": CarrierFactory(
            tenant=tenant_a, slug="mobile", name_en="Mobile", name_zh_hans="移动"
        ),
        "unicom": CarrierFactory(
            tenant=tenant_a, slug="unicom", name_en="Unicom", name_zh_hans="联通"
        ),
        "esim": CardTypeFactory(
            tenant=tenant_a, slug="esim", name_en="eSIM", name_zh_hans="eSIM"
        ),
        "data": CardTypeFactory(
            tenant=tenant_a, slug="data", name_en="Data card", name_zh_hans="流量卡"
        ),
    }


@pytest.fixture
def procedures(tenant_a, catalogue, editor):
    """mobile/esim: published in both languages; mobile/data: a Chinese-only
    draft; unicom/esim: published, English outdated; unicom/data: nothing."""
    mobile, unicom = catalogue["mobile"], catalogue["unicom"]
    esim, data = catalogue["esim"], catalogue["data"]
    published = make_article(
        tenant_a,
        "mobile-esim",
        publish=True,
        carrier=mobile,
        card_type=esim,
        title_en="Cancel a Mobile eSIM",
    )
    draft = make_article(
        tenant_a,
        "mobile-data",
        carrier=mobile,
        card_type=data,
        title_zh_hans="注销流量卡",
        title_en="",
        summary_en="",
    )
    outdated = make_article(
        tenant_a,
        "unicom-esim",
        publish=True,
        carrier=unicom,
        card_type=esim,
        title_en="Cancel a Unicom eSIM",
    )
    make_outdated(outdated, editor)
    return {"published": published, "draft": draft, "outdated": outdated}


def rows(page: str) -> dict[tuple[str, str], list[str]]:
    """Return the report's rows: (carrier, card type) -> the cells' HTML."""
    body = page.split('id="coverage-table"')[1].split("</tbody>")[0]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], flags=re.S):
        heads = re.findall(r'<th scope="row">(.*?)</th>', row, flags=re.S)
        cells = re.findall(r'<td class="coverage-cell">(.*?)</td>', row, flags=re.S)
        found[tuple(re.sub(r"<[^>]+>", "", h).strip() for h in heads)] = cells
    return found


def states(cell: str) -> list[str]:
    return re.findall(r'class="coverage-badge coverage-(\w+)"', cell)


def test_each_cell_shows_the_state_of_its_procedures_per_language(procedures, editor):
    page = signed_in(editor).get(URL, **HOST).content.decode()
    table = rows(page)
    # every carrier and card type pair is a row; the default language first
    assert {
        pair: [states(cell) for cell in cells] for pair, cells in table.items()
    } == {
        ("Mobile", "Data card"): [["draft"], ["missing"]],
        ("Mobile", "eSIM"): [["published"], ["published"]],
        ("Unicom", "Data card"): [["missing"], ["missing"]],
        ("Unicom", "eSIM"): [["published"], ["outdated"]],
    }
    header = page.split('id="coverage-table"')[1].split("</thead>")[0]
    assert header.index("Simplified Chinese") < header.index("English")


def test_cells_link_to_the_procedure_or_to_a_prefilled_add_form(
    procedures, catalogue, editor
):
    table = rows(signed_in(editor).get(URL, **HOST).content.decode())
    for pair, article in [
        (("Mobile", "eSIM"), procedures["published"]),
        (("Mobile", "Data card"), procedures["draft"]),
        (("Unicom", "eSIM"), procedures["outdated"]),
    ]:
        for cell in table[pair]:
            assert f'href="/admin/guides/article/{article.pk}/change/"' in cell
    unicom, data = catalogue["unicom"], catalogue["data"]
    chinese, english = table[("Unicom", "Data card")]
    add = f"/admin/guides/article/add/?carrier={unicom.pk}&amp;card_type={data.pk}"
    assert f'href="{add}&amp;language=zh-hans"' in chinese
    assert f'href="{add}&amp;language=en"' in english
    assert "a procedure for Unicom, Data card" in english  # the link's full name


def test_the_create_link_opens_the_add_form_with_carrier_and_card_type_chosen(
    procedures, catalogue, editor
):
    client = signed_in(editor)
    unicom, data = catalogue["unicom"], catalogue["data"]
    link = rows(client.get(URL, **HOST).content.decode())[("Unicom", "Data card")][1]
    href = re.search(r'href="([^"]+)"', link).group(1).replace("&amp;", "&")
    response = client.get(href, **HOST)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert str(form.initial["carrier"]) == str(unicom.pk)
    assert str(form.initial["card_type"]) == str(data.pk)
    page = response.content.decode()
    assert re.search(rf'<option value="{unicom.pk}" selected>', page)
    assert re.search(rf'<option value="{data.pk}" selected>', page)


def test_the_totals_count_each_state_per_language(procedures, editor):
    page = signed_in(editor).get(URL, **HOST).content.decode()
    totals = page.split('id="coverage-totals"')[1].split("</table>")[0]
    found = {
        name: [int(n) for n in counts]
        for name, counts in re.findall(
            r'<tr><th scope="row">([^<]+)</th>((?:<td>\d+</td>)+)</tr>', totals
        )
        for counts in [re.findall(r"<td>(\d+)</td>", counts)]
    }
    # published, draft, outdated, missing
    assert found == {"Simplified Chinese": [2, 1, 0, 1], "English": [1, 0, 1, 2]}


def test_the_filters_keep_the_rows_and_languages_asked_for(procedures, editor):
    client = signed_in(editor)
    page = client.get(URL + "?state=outdated", **HOST).content.decode()
    assert list(rows(page)) == [("Unicom", "eSIM")]
    page = client.get(URL + "?language=en&state=missing", **HOST).content.decode()
    table = rows(page)
    assert list(table) == [("Mobile", "Data card"), ("Unicom", "Data card")]
    assert all(len(cells) == 1 for cells in table.values())


def test_bad_filters_are_ignored_never_an_error(procedures, editor):
    client = signed_in(editor)
    for query in ("?state=<b>", "?language=xx", "?language=zh-hant", "?state=%00"):
        response = client.get(URL + query, **HOST)
        assert response.status_code == 200, query
        assert len(rows(response.content.decode())) == 4, query
        assert client.get(CSV_URL + query, **HOST).status_code == 200, query


# --- CSV --------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets read UTF-8 with the mark
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_csv_has_a_line_per_cell_entry(procedures, editor):
    response = signed_in(editor).get(CSV_URL, **HOST)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="coverage-alpha.csv"' in response["Content-Disposition"]
    lines = read_csv(response)
    assert [
        (
            row["carrier"],
            row["card_type"],
            row["language"],
            row["state"],
            row["article"],
        )
        for row in lines
    ] == [
        ("mobile", "data", "zh-hans", "draft", "mobile-data"),
        ("mobile", "data", "en", "missing", "mobile-data"),
        ("mobile", "esim", "zh-hans", "published", "mobile-esim"),
        ("mobile", "esim", "en", "published", "mobile-esim"),
        ("unicom", "data", "zh-hans", "missing", ""),
        ("unicom", "data", "en", "missing", ""),
        ("unicom", "esim", "zh-hans", "published", "unicom-esim"),
        ("unicom", "esim", "en", "outdated", "unicom-esim"),
    ]
    assert lines[0]["title"] == "注销流量卡" and lines[0]["carrier_name"] == "Mobile"
    filtered = read_csv(signed_in(editor).get(CSV_URL + "?state=outdated", **HOST))
    assert {row["article"] for row in filtered} == {"unicom-esim"}


def test_the_csv_never_starts_a_cell_with_a_formula(tenant_a, catalogue, editor):
    make_article(
        tenant_a,
        "formula",
        carrier=catalogue["mobile"],
        card_type=catalogue["esim"],
        title_en='=HYPERLINK("http://evil.example")',
    )
    lines = read_csv(signed_in(editor).get(CSV_URL + "?language=en", **HOST))
    titles = [row["title"] for row in lines if row["article"] == "formula"]
    assert titles == ['\'=HYPERLINK("http://evil.example")']


# --- queries ----------------------------------------------------------------------

#: Session, user, membership; carriers, card types, articles (with their
#: publication's languages); the admin's permission reads (the sidebar, two).
COVERAGE_QUERIES = 8
COVERAGE_CSV_QUERIES = 6


@pytest.mark.parametrize("extra", [0, 10])
def test_the_report_and_its_csv_cost_the_same_queries_whatever_the_articles(
    tenant_a, catalogue, procedures, editor, extra, django_assert_num_queries
):
    for n in range(extra):
        article = make_article(
            tenant_a,
            f"more-{n}",
            publish=n % 2 == 0,
            carrier=catalogue["unicom" if n % 3 else "mobile"],
            card_type=catalogue["data" if n % 2 else "esim"],
        )
        if n % 4 == 0:
            make_outdated(article, editor)
    client = signed_in(editor)
    client.get(URL, **HOST)  # fills the session and throttle caches
    with django_assert_num_queries(COVERAGE_QUERIES):
        page = client.get(URL, **HOST).content.decode()
    assert page.count("coverage-cell") == 8
    with django_assert_num_queries(COVERAGE_CSV_QUERIES):
        lines = read_csv(client.get(CSV_URL, **HOST))
    # a line per procedure and language; with more procedures, Unicom's data
    # card has some, so its two "missing" lines are gone
    assert len(lines) == (8 if not extra else 6 + 2 * extra)


# --- tenants ----------------------------------------------------------------------


def test_another_tenants_carriers_and_procedures_never_show(
    tenant_a, tenant_b, procedures, editor
):
    beta_carrier = CarrierFactory(tenant=tenant_b, slug="beta-tel", name_en="BetaTel")
    make_article(tenant_b, "beta-secret", carrier=beta_carrier, title_en="Beta secret")
    client = signed_in(editor)
    page = client.get(URL, **HOST).content.decode()
    csv_text = client.get(CSV_URL, **HOST).content.decode()
    for secret in ("BetaTel", "beta-tel", "Beta secret", "beta-secret"):
        assert secret not in page and secret not in csv_text
    assert len(rows(page)) == 4


def test_a_member_of_another_tenant_gets_404_here(tenant_a, tenant_b, procedures):
    bert = make_user("bert", tenant=tenant_b, role=Role.MANAGER)
    client = signed_in(bert)
    for url in (URL, CSV_URL, URL + "?state=missing"):
        response = client.get(url, **HOST)
        assert response.status_code == 404, url
        assert b"Mobile eSIM" not in response.content
    # on his own host: beta's (empty) report
    own = client.get(URL, **BETA)
    assert own.status_code == 200 and "Mobile" not in own.content.decode()


def test_signed_out_readers_are_sent_to_the_login(tenant_a):
    for url in (URL, CSV_URL):
        response = Client().get(url, **HOST)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


# --- in a browser -----------------------------------------------------------------


@pytest.fixture
def desk(live_server):
    from tests.factories import make_tenant

    assert live_server.url.startswith("http://localhost:")
    return make_tenant("desk", hosts=["localhost"], languages=["zh-hans", "en"])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_report_in_a_browser_and_its_create_link_to_a_prefilled_form(
    live_server, desk, new_context
):
    """At 1366 px: the report has no serious axe-core violation, and a
    missing cell's "Create" opens the add form with its carrier and card
    type chosen; saving it fills the cell."""
    from playwright.sync_api import expect

    from tests.admin.test_dashboard import browser_sign_in, screenshot
    from tests.browser import axe_violations, describe

    editor = make_user("eddie", tenant=desk, role=Role.EDITOR)
    mobile = CarrierFactory(tenant=desk, slug="mobile", name_en="Mobile")
    unicom = CarrierFactory(tenant=desk, slug="unicom", name_en="Unicom")
    esim = CardTypeFactory(tenant=desk, slug="esim", name_en="eSIM")
    data = CardTypeFactory(tenant=desk, slug="data", name_en="Data card")
    make_article(desk, "mobile-esim", publish=True, carrier=mobile, card_type=esim)
    outdated = make_article(
        desk, "unicom-esim", publish=True, carrier=unicom, card_type=esim
    )
    make_outdated(outdated, editor)

    page = browser_sign_in(new_context, live_server.url, editor)
    page.goto(f"{live_server.url}/admin/coverage/")
    table = page.locator("#coverage-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator(".coverage-outdated")).to_have_count(1)
    expect(page.locator("#coverage-totals")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width
    screenshot(page, "admin-coverage.png")
    serious = [
        v for v in axe_violations(page) if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "axe-core violations:\n" + describe(serious)

    # the filters work without JavaScript: a GET form
    page.select_option("#coverage-state", "outdated")
    page.get_by_role("button", name="Show").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    page.goto(f"{live_server.url}/admin/coverage/")

    # Unicom's data card has no procedure: "Create" opens a prefilled add form
    row = table.locator("tbody tr", has_text="Unicom").filter(has_text="Data card")
    row.locator("a.coverage-create").last.click()
    expect(page).to_have_url(re.compile(r"/admin/guides/article/add/\?"))
    expect(page.locator("#id_carrier")).to_have_value(str(unicom.pk))
    expect(page.locator("#id_card_type")).to_have_value(str(data.pk))
    screenshot(page, "admin-coverage-create.png")


def test_procedures_for_every_carrier_or_card_type_have_rows_of_their_own(
    tenant_a, catalogue, editor
):
    make_article(tenant_a, "any-carrier", card_type=catalogue["esim"], title_en="Any")
    make_article(tenant_a, "anything", title_en="Whatever")
    table = rows(signed_in(editor).get(URL, **HOST).content.decode())
    assert list(table)[-2:] == [
        ("Every carrier", "eSIM"),
        ("Every carrier", "Every card type"),
    ]
    assert [states(cell) for cell in table[("Every carrier", "eSIM")]] == [
        ["draft"],
        ["draft"],
    ]


def test_a_help_center_without_carriers_is_told_what_to_do(tenant_a, editor):
    page = signed_in(editor).get(URL, **HOST).content.decode()
    assert "Nothing to show: add carriers and card types" in page
    assert signed_in(editor).get(CSV_URL, **HOST).content.decode().count("\n") == 1


def test_a_full_cell_lists_what_needs_work_first_and_links_the_rest(
    tenant_a, catalogue, procedures, editor, monkeypatch
):
    from guides.admin import coverage as coverage_admin

    monkeypatch.setattr(coverage_admin, "CELL_LIMIT", 1)
    mobile, esim = catalogue["mobile"], catalogue["esim"]
    make_article(tenant_a, "second", carrier=mobile, card_type=esim, title_en="2nd")
    client = signed_in(editor)
    chinese, _english = rows(client.get(URL, **HOST).content.decode())[
        ("Mobile", "eSIM")
    ]
    # the draft before the published one; the rest counted and linked
    assert states(chinese) == ["draft"]
    assert "Draft: 1" in chinese and "Published: 1" in chinese
    href = f"/admin/guides/article/?carrier__id__exact={mobile.pk}&amp;card_type__id__exact={esim.pk}"
    assert f'<a href="{href}">and 1 more</a>' in chinese
    listing = client.get(href.replace("&amp;", "&"), **HOST)
    assert listing.context["cl"].result_count == 2
