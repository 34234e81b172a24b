"""Issue #5, editor admin: draft preview, readers' feedback, the add form.

- The draft preview renders an article's working copy through the public
  article page's own context code and template, on the tenant's host, for
  members only, and never reaches a reader or any cache.
- Readers' "Was this helpful?" answers show on the article change form and
  in a read-only, tenant-scoped list.
- The add form saves through ``services.article_create``.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from reversion.models import Revision

from guides import services
from guides.cache.front import PageCacheFront
from guides.cache.pages import local_pages
from guides.models import Article, Feedback, Membership, RevisionMeta
from guides.tenancy import tenant_context
from tests.admin.test_articles import CHANGE_FORM_QUERIES, change_url
from tests.factories import make_article, make_card_type, make_carrier, make_user, step
from tests.forms import form_data

pytestmark = pytest.mark.django_db

# English admin strings, so the assertions read as the messages are written.
HOST = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
BETA = {"HTTP_HOST": "beta.test", "HTTP_ACCEPT_LANGUAGE": "en"}
BANNER = "Preview of an unpublished draft"
FALLBACK_NOTICE = "Parts of this page are not translated yet and are shown in"
PUBLIC = "/en/guides/cancel-esim/"
FEEDBACK_LIST = "/admin/guides/feedback/"
ADD = "/admin/guides/article/add/"
ROLES = (Membership.Role.EDITOR, Membership.Role.REVIEWER, Membership.Role.MANAGER)


def preview_url(article, language: str = "en") -> str:
    return f"/admin/guides/article/{article.pk}/preview/{language}/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def anonymous_get(path: str):
    """GET ``path`` on alpha's host as a reader: no session, no cookies."""
    return Client().get(path, HTTP_HOST="alpha.test")


def main_of(html: str) -> str:
    """Return the page's <main>, without the preview banner and the publish time."""
    main = html.split('<main id="main"', 1)[1].split(">", 1)[1].split("</main>", 1)[0]
    main = re.sub(
        r'<aside class="preview-banner".*?</aside>', "", main, flags=re.DOTALL
    )
    main = re.sub(r"<time datetime=[^>]*>.*?</time>", "<time/>", main, flags=re.DOTALL)
    return main.strip()


def ld_blocks(html: str) -> dict[str, dict]:
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    return {data["@type"]: data for data in map(json.loads, blocks)}


def cached_bytes() -> bytes:
    """Return everything in the shared (locmem) cache and this process's pages."""
    stored = b"".join(
        value if isinstance(value, bytes) else str(value).encode()
        for value in cache._cache.values()
    )
    local = b"".join(entry["content"] for entry in local_pages.values())
    return stored + local


def edit_draft(article, **fields):
    with tenant_context(article.tenant):
        return services.article_update(
            article=Article.objects.get(pk=article.pk), user=None, **fields
        )


@pytest.fixture
def users(tenant_a, tenant_b):
    """One user per role in alpha, a staff member of beta only, an outsider."""
    return {
        **{role: make_user(tenant=tenant_a, role=role) for role in ROLES},
        "beta_editor": make_user(tenant=tenant_b, role=Membership.Role.EDITOR),
        "non_member": make_user(),  # staff, but of no tenant
    }


@pytest.fixture
def editor(users):
    return users[Membership.Role.EDITOR]


@pytest.fixture
def published(tenant_a, django_capture_on_commit_callbacks):
    carrier = make_carrier(tenant_a)
    card = make_card_type(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(tenant_a, publish=True, carrier=carrier, card_type=card)


# --- draft preview: what it shows -------------------------------------------------


def test_the_preview_shows_the_draft_as_the_public_page_with_a_banner(
    editor, published
):
    # given: a published article with a draft edit readers must not see yet
    edit_draft(
        published,
        title_en="Cancel an eSIM (draft)",
        parts={
            "steps": [step(1, title_en="Call 10086"), step(2, title_en="Wait")],
            "faqs": [
                {
                    "question_zh_hans": "费用？",
                    "question_en": "Fees?",
                    "answer_zh_hans": "免费",
                }
            ],
        },
    )
    # when: the editor opens the English preview
    response = signed_in(editor).get(preview_url(published), **HOST)
    # then: the draft, through the public template, with the banner on top
    assert response.status_code == 200
    page = response.content.decode()
    assert BANNER in page
    assert '<strong class="preview-status">Draft</strong>' in page
    assert "Readers see the last publication until this draft is published." in page
    assert f'href="{change_url(published)}"' in page  # back to the editor
    assert "<h1>Cancel an eSIM (draft)</h1>" in page
    assert re.findall(r'<li class="step" id="step-(\d+)">\s*<h3>(.*?)</h3>', page) == [
        ("1", "Call 10086"),
        ("2", "Wait"),
    ]
    assert "Fees?" in page and "How long?" not in page
    assert '<html lang="en">' in page
    assert (
        '<link rel="canonical" href="http://alpha.test/en/guides/cancel-esim/">' in page
    )
    assert ld_blocks(page)["HowTo"]["name"] == "Cancel an eSIM (draft)"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    # and headers that keep it out of every shared cache and search engine
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives
    assert "noindex" in response["X-Robots-Tag"]
    assert not response.has_header("ETag")
    assert response["Content-Language"] == "en"


def test_the_preview_is_what_readers_get_once_the_draft_is_published(
    editor, published, django_capture_on_commit_callbacks
):
    """Same context code and template: the page body matches byte for byte."""
    edit_draft(published, title_en="Cancel it now", summary_en="Quick and safe")
    preview = signed_in(editor).get(preview_url(published), **HOST).content.decode()
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_publish(
            article=Article.objects.get(pk=published.pk), user=None
        )
    public = anonymous_get(PUBLIC).content.decode()
    assert "Cancel it now" in public
    assert main_of(preview) == main_of(public)


def test_the_preview_of_a_never_published_article_says_readers_cannot_see_it(
    editor, tenant_a
):
    article = make_article(tenant_a, "new-one", steps=0, title_en="Brand new")
    response = signed_in(editor).get(preview_url(article), **HOST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Brand new</h1>" in page
    assert "This article is not published: readers cannot see it." in page
    # the reason publishing would be refused is on the banner too
    assert "Publishing would be refused:" in page and "at least one step" in page
    assert anonymous_get("/en/guides/new-one/").status_code == 404


def test_a_missing_translation_shows_the_public_fallback_notice(editor, tenant_a):
    # the factory's steps have no English body: the public page's notice
    partly = make_article(tenant_a, "partly", publish=True)
    page = signed_in(editor).get(preview_url(partly), **HOST).content.decode()
    assert FALLBACK_NOTICE in page and "步骤1说明" in page
    assert FALLBACK_NOTICE in anonymous_get("/en/guides/partly/").content.decode()
    # no English at all: the Chinese text with the notice, and the banner says
    # readers of English would be sent to the Chinese page
    zh_only = make_article(tenant_a, "zh-only", title_en="", summary_en="")
    page = signed_in(editor).get(preview_url(zh_only), **HOST).content.decode()
    assert FALLBACK_NOTICE in page
    assert "<h1>注销 eSIM</h1>" in page
    assert "The draft has no English title" in page
    chinese = signed_in(editor).get(preview_url(zh_only, "zh-hans"), **HOST)
    assert FALLBACK_NOTICE not in chinese.content.decode()
    assert '<html lang="zh-hans">' in chinese.content.decode()


@pytest.mark.parametrize("language", ["zh-hant", "fr", "xx"])
def test_a_language_the_tenant_does_not_enable_is_a_404(editor, published, language):
    response = signed_in(editor).get(preview_url(published, language), **HOST)
    assert response.status_code == 404
    assert b"Cancel an eSIM" not in response.content


def test_the_preview_answers_get_only(editor, published):
    response = signed_in(editor).post(preview_url(published), **HOST)
    assert response.status_code == 405


# --- draft preview: who may see it ------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_role_may_preview(users, published, role):
    edit_draft(published, title_en="Members only draft")
    response = signed_in(users[role]).get(preview_url(published), **HOST)
    assert response.status_code == 200
    assert b"Members only draft" in response.content


@pytest.mark.parametrize("who", ["beta_editor", "non_member"])
def test_non_members_are_refused(users, published, who):
    edit_draft(published, title_en="Members only draft")
    response = signed_in(users[who]).get(preview_url(published), **HOST)
    assert response.status_code == 403
    assert b"Members only draft" not in response.content


def test_anonymous_readers_are_sent_to_the_login_page(published):
    edit_draft(published, title_en="Members only draft")
    response = anonymous_get(preview_url(published))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert b"Members only draft" not in response.content


def test_another_tenants_article_is_a_404_on_either_host(
    users, tenant_a, tenant_b, editor
):
    beta_article = make_article(tenant_b, "beta-guide", title_en="Beta's draft")
    # an alpha editor asking for beta's id on alpha's host
    response = signed_in(editor).get(preview_url(beta_article), **HOST)
    assert response.status_code == 404
    assert b"Beta's draft" not in response.content
    # beta's editor on beta's host, asking for an alpha article's id
    alpha_article = make_article(tenant_a, title_en="Alpha's")
    response = signed_in(users["beta_editor"]).get(preview_url(alpha_article), **BETA)
    assert response.status_code == 404
    assert b"Alpha's" not in response.content
    # and alpha's editor on beta's host is no member there
    response = signed_in(editor).get(preview_url(beta_article), **BETA)
    assert response.status_code == 403


# --- draft preview: never in a cache ------------------------------------------------


def test_a_preview_never_reaches_the_cached_public_page(editor, published):
    # given: readers have the published page, and it is in the page cache
    first = anonymous_get(PUBLIC)
    assert first.status_code == 200 and "public" in first["Cache-Control"]
    etag = first["ETag"]
    assert b"Cancel an eSIM" in cached_bytes()
    # when: an editor changes the draft and previews it in every language
    edit_draft(published, title_en="SECRET DRAFT", title_zh_hans="秘密草稿")
    client = signed_in(editor)
    for language in ("en", "zh-hans"):
        page = client.get(preview_url(published, language), **HOST)
        assert page.status_code == 200
    assert b"SECRET DRAFT" in client.get(preview_url(published), **HOST).content
    # then: readers still get the publication, from the cache as before
    again = anonymous_get(PUBLIC)
    assert again.status_code == 200 and again["ETag"] == etag
    assert b"SECRET DRAFT" not in again.content
    assert b"Cancel an eSIM" in again.content
    # and the draft is in no cache at all, nor answered by the WSGI front
    assert b"SECRET DRAFT" not in cached_bytes()
    assert "秘密草稿".encode() not in cached_bytes()
    for path in (PUBLIC, preview_url(published)):
        environ = Client().get(path, HTTP_HOST="alpha.test").wsgi_request.environ
        answer = PageCacheFront.stored_answer(environ)
        assert answer is None or b"SECRET DRAFT" not in b"".join(answer[2])


def test_a_preview_of_an_unpublished_draft_leaves_the_public_url_a_404(
    editor, tenant_a
):
    article = make_article(tenant_a, "secret", title_en="SECRET DRAFT")
    assert anonymous_get("/en/guides/secret/").status_code == 404
    assert signed_in(editor).get(preview_url(article), **HOST).status_code == 200
    response = anonymous_get("/en/guides/secret/")
    assert response.status_code == 404
    assert b"SECRET DRAFT" not in response.content
    assert b"SECRET DRAFT" not in cached_bytes()


def test_a_preview_after_the_page_was_cached_and_then_unpublished(
    editor, published, django_capture_on_commit_callbacks
):
    assert anonymous_get(PUBLIC).status_code == 200  # cached
    with (
        tenant_context(published.tenant),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.article_unpublish(
            article=Article.objects.get(pk=published.pk), user=None
        )
    edit_draft(published, title_en="SECRET DRAFT")
    assert (
        b"SECRET DRAFT" in signed_in(editor).get(preview_url(published), **HOST).content
    )
    assert anonymous_get(PUBLIC).status_code == 404


@pytest.mark.parametrize("steps", [1, 20])
def test_the_preview_makes_a_fixed_number_of_queries(
    editor, tenant_a, steps, django_assert_num_queries
):
    carrier = make_carrier(tenant_a)
    article = make_article(tenant_a, "counted", steps=0, carrier=carrier, publish=False)
    with tenant_context(tenant_a):
        channel = carrier.channels.get()
        services.article_update(
            article=article,
            user=None,
            parts={"steps": [step(n, channel=channel) for n in range(steps)]},
        )
    client = signed_in(editor)
    client.get(preview_url(article), **HOST)  # the first admin hit runs publish_due
    # Session, user, membership; the article with carrier and card type, its
    # steps, their channels, requirements, tips, FAQs (publishing's "has
    # steps" check reads the prefetched steps); its publication's id; the
    # related procedures.
    with django_assert_num_queries(11):
        response = client.get(preview_url(article), **HOST)
    assert response.content.decode().count('<li class="step"') == steps


# --- the change form: preview links and reader feedback ---------------------------


def give_feedback(article, *, helpful: bool, comment: str = "", language="en", age=0):
    """Store one reader answer, ``age`` days old."""
    feedback = Feedback.unscoped.create(
        tenant_id=article.tenant_id,
        article=article,
        helpful=helpful,
        comment=comment,
        language=language,
    )
    if age:
        Feedback.unscoped.filter(pk=feedback.pk).update(
            created_at=timezone.now() - timedelta(days=age)
        )
    return feedback


def test_the_change_form_links_a_preview_per_enabled_language(editor, published):
    page = signed_in(editor).get(change_url(published), **HOST).content.decode()
    panel = page.split('id="article-preview-links"')[1].split("</p>")[0]
    for language in ("zh-hans", "en"):
        link = re.search(rf'<a href="{preview_url(published, language)}"[^>]*>', panel)
        assert link, language
        assert 'target="_blank"' in link.group(0)
        assert 'rel="noopener"' in link.group(0)
    assert "zh-hant" not in panel  # not enabled by this tenant


def test_the_change_form_shows_the_articles_feedback_counts_and_comments(
    editor, published, tenant_b
):
    # given: answers on this article, old and new, and some elsewhere
    for _ in range(2):
        give_feedback(published, helpful=True)
    give_feedback(published, helpful=True, age=40)
    give_feedback(published, helpful=False, comment="Old complaint", age=40)
    give_feedback(
        published, helpful=False, comment="Step 2 was unclear", language="zh-hans"
    )
    for n in range(6):
        give_feedback(published, helpful=True, comment=f"Thanks {n}", age=1)
    other = make_article(published.tenant, "other")
    give_feedback(other, helpful=False, comment="About the other article")
    beta_article = make_article(tenant_b, "beta-guide")
    give_feedback(beta_article, helpful=False, comment="Beta reader")
    # when
    page = signed_in(editor).get(change_url(published), **HOST).content.decode()
    # then: yes / no, all time and last 30 days
    panel = page.split('id="article-feedback-title"')[1]
    all_time = panel.split('id="feedback-all-time"')[1].split("</tr>")[0]
    recent = panel.split('id="feedback-recent"')[1].split("</tr>")[0]
    assert '<td class="feedback-yes">9</td>' in all_time
    assert '<td class="feedback-no">2</td>' in all_time
    assert "82%" in all_time
    assert '<td class="feedback-yes">8</td>' in recent
    assert '<td class="feedback-no">1</td>' in recent
    assert "Last 30 days" in recent
    # the five latest comments, newest first, with language
    comments = re.findall(r'<q lang="([^"]+)">(.*?)</q>', panel)
    assert comments == [
        ("zh-hans", "Step 2 was unclear"),
        ("en", "Thanks 5"),
        ("en", "Thanks 4"),
        ("en", "Thanks 3"),
        ("en", "Thanks 2"),
    ]
    assert "Old complaint" not in page
    assert "About the other article" not in page and "Beta reader" not in page
    assert f'href="{FEEDBACK_LIST}?article__id__exact={published.pk}"' in panel


@pytest.mark.parametrize("answers", [2, 25])
def test_feedback_adds_a_fixed_number_of_queries_to_the_change_form(
    editor, tenant_a, answers, django_assert_num_queries
):
    carrier = make_carrier(tenant_a)
    article = make_article(tenant_a, carrier=carrier)
    for n in range(answers):
        give_feedback(article, helpful=bool(n % 2), comment=f"c{n}")
    client = signed_in(editor)
    client.get(change_url(article), **HOST)
    with django_assert_num_queries(CHANGE_FORM_QUERIES):
        response = client.get(change_url(article), **HOST)
    assert response.content.decode().count('class="feedback-comment"') == min(
        answers, 5
    )


# --- the feedback list ---------------------------------------------------------------


@pytest.fixture
def answers(published, tenant_b):
    """Answers on two alpha articles and one beta article."""
    other = make_article(published.tenant, "port-out", title_en="Port a number out")
    mine = [
        give_feedback(published, helpful=False, comment="Step 2 was unclear"),
        give_feedback(published, helpful=False, comment="Too long", language="zh-hans"),
        give_feedback(published, helpful=True),
        give_feedback(other, helpful=True, comment="Clear, thanks"),
        give_feedback(other, helpful=False, age=45),
    ]
    beta_article = make_article(tenant_b, "beta-guide", title_en="Beta's guide")
    theirs = give_feedback(beta_article, helpful=False, comment="Beta reader's spam")
    return {"mine": mine, "theirs": theirs, "other": other}


@pytest.mark.parametrize("role", ROLES)
def test_members_see_their_tenants_feedback_and_the_least_helpful_articles(
    users, answers, role
):
    response = signed_in(users[role]).get(FEEDBACK_LIST, **HOST)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="field-comment_excerpt"') == 5
    for text in ("Step 2 was unclear", "Too long", "Clear, thanks"):
        assert text in page
    assert "Beta reader" not in page and "Beta&#x27;s guide" not in page
    # the aggregates: most "no" first, with the helpful share
    rows = re.findall(
        r'<tr class="feedback-article">\s*'
        r'<th scope="row"><a href="[^"]+">(.*?)</a></th>\s*'
        r'<td class="feedback-no">(\d+)</td>\s*<td>(\d+)</td>\s*'
        r'<td class="feedback-yes">(\d+)</td>\s*<td class="feedback-ratio">(\d+)%</td>',
        page,
    )
    assert rows == [
        ("Cancel an eSIM", "2", "2", "1", "33"),
        ("Port a number out", "1", "0", "1", "50"),
    ]


def test_only_reviewers_and_managers_get_the_delete_action(users, answers):
    editor_page = signed_in(users[Membership.Role.EDITOR]).get(FEEDBACK_LIST, **HOST)
    assert b"delete_selected" not in editor_page.content
    reviewer_page = signed_in(users[Membership.Role.REVIEWER]).get(
        FEEDBACK_LIST, **HOST
    )
    assert b"delete_selected" in reviewer_page.content


@pytest.mark.parametrize("who", ["beta_editor", "non_member"])
def test_non_members_cannot_list_feedback(users, answers, who):
    response = signed_in(users[who]).get(FEEDBACK_LIST, **HOST)
    assert response.status_code == 403
    assert b"Step 2 was unclear" not in response.content


def test_anonymous_readers_cannot_list_feedback(answers):
    response = anonymous_get(FEEDBACK_LIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_feedback_is_searchable_by_comment_and_filterable(editor, answers):
    client = signed_in(editor)
    page = client.get(FEEDBACK_LIST, {"q": "unclear"}, **HOST).content.decode()
    assert "Step 2 was unclear" in page and "Too long" not in page
    page = client.get(FEEDBACK_LIST, {"helpful__exact": "1"}, **HOST).content.decode()
    assert "Clear, thanks" in page and "Step 2 was unclear" not in page
    other = answers["other"]
    page = client.get(
        FEEDBACK_LIST, {"article__id__exact": other.pk}, **HOST
    ).content.decode()
    assert page.count('class="field-comment_excerpt"') == 2
    page = client.get(FEEDBACK_LIST, {"language": "zh-hans"}, **HOST).content.decode()
    assert "Too long" in page and "Step 2 was unclear" not in page


@pytest.mark.parametrize("role", ROLES)
def test_nobody_adds_or_changes_feedback(users, answers, role):
    client = signed_in(users[role])
    answer = answers["mine"][0]
    assert client.get(f"{FEEDBACK_LIST}add/", **HOST).status_code == 403
    view = client.get(f"{FEEDBACK_LIST}{answer.pk}/change/", **HOST)
    assert view.status_code == 200  # read-only
    assert b"Step 2 was unclear" in view.content
    assert b'name="comment"' not in view.content
    forged = {"comment": "Rewritten", "helpful": "on", "language": "en"}
    assert (
        client.post(f"{FEEDBACK_LIST}{answer.pk}/change/", forged, **HOST).status_code
        == 403
    )
    assert Feedback.unscoped.get(pk=answer.pk).comment == "Step 2 was unclear"


def test_editors_cannot_delete_but_reviewers_and_managers_can(users, answers):
    spam = answers["mine"][1]
    editor = signed_in(users[Membership.Role.EDITOR])
    assert (
        editor.post(
            f"{FEEDBACK_LIST}{spam.pk}/delete/", {"post": "yes"}, **HOST
        ).status_code
        == 403
    )
    assert Feedback.unscoped.filter(pk=spam.pk).exists()
    for role in (Membership.Role.REVIEWER, Membership.Role.MANAGER):
        spam = give_feedback(answers["other"], helpful=False, comment="Buy followers")
        client = signed_in(users[role])
        response = client.post(
            f"{FEEDBACK_LIST}{spam.pk}/delete/", {"post": "yes"}, **HOST
        )
        assert response.status_code == 302, role
        assert not Feedback.unscoped.filter(pk=spam.pk).exists()


def test_another_tenants_feedback_ids_are_404_and_never_deleted(users, answers):
    theirs = answers["theirs"]
    client = signed_in(users[Membership.Role.MANAGER])
    for suffix in ("change/", "delete/", "history/"):
        response = client.get(f"{FEEDBACK_LIST}{theirs.pk}/{suffix}", **HOST)
        assert response.status_code == 404, suffix
        assert b"Beta reader" not in response.content
    response = client.post(
        f"{FEEDBACK_LIST}{theirs.pk}/delete/", {"post": "yes"}, **HOST
    )
    assert response.status_code == 404
    # a forged bulk delete names beta's id with one of alpha's
    mine = answers["mine"][0]
    client.post(
        FEEDBACK_LIST,
        {
            "action": "delete_selected",
            "_selected_action": [theirs.pk, mine.pk],
            "post": "yes",
        },
        **HOST,
    )
    assert Feedback.unscoped.filter(pk=theirs.pk).exists()
    assert not Feedback.unscoped.filter(pk=mine.pk).exists()


# Session, user, membership, the aggregates by article, the article filter's
# choices, the count and the filtered count, the two permission lookups for
# the sidebar, the page of answers with their articles, the language filter's
# choices.
FEEDBACK_LIST_QUERIES = 11


@pytest.mark.parametrize("count", [3, 30])
def test_the_feedback_list_makes_a_fixed_number_of_queries(
    editor, tenant_a, count, django_assert_num_queries
):
    articles = [make_article(tenant_a, f"a{n}") for n in range(3)]
    for n in range(count):
        give_feedback(articles[n % 3], helpful=bool(n % 2), comment=f"comment {n}")
    client = signed_in(editor)
    client.get(FEEDBACK_LIST, **HOST)  # the first admin hit runs publish_due
    with django_assert_num_queries(FEEDBACK_LIST_QUERIES):
        response = client.get(FEEDBACK_LIST, **HOST)
    assert response.content.decode().count('class="field-comment_excerpt"') == count


# --- the add form, through services.article_create -----------------------------------


def add_form(client, **changes) -> dict:
    data = form_data(client.get(ADD, **HOST))
    data.update(changes)
    return data


def with_steps(data: dict, rows: list[tuple[str, str, str]]) -> dict:
    """Add step rows (sort order box, Chinese title, English title)."""
    data["steps-TOTAL_FORMS"] = str(len(rows))
    for index, (order, chinese, english) in enumerate(rows):
        data[f"steps-{index}-sort_order"] = order
        data[f"steps-{index}-title_zh_hans"] = chinese
        data[f"steps-{index}-title_en"] = english
    return data


def test_adding_records_one_tagged_revision_with_the_parts_in_order(editor, tenant_a):
    # given: the add form with three steps typed out of order and a document
    carrier = make_carrier(tenant_a)
    client = signed_in(editor)
    revisions_before = Revision.objects.count()
    data = add_form(
        client,
        slug="port-out",
        carrier=str(carrier.pk),
        title_zh_hans="携号转网",
        title_en="Port your number out",
        _save="Save",
    )
    with_steps(
        data,
        [("2", "第三步", "Third"), ("0", "第一步", "First"), ("1", "第二步", "Second")],
    )
    data.update(
        {
            "requirements-TOTAL_FORMS": "1",
            "requirements-0-sort_order": "0",
            "requirements-0-kind": "document",
            "requirements-0-text_zh_hans": "身份证",
        }
    )
    # when
    response = client.post(ADD, data, **HOST)
    # then: the article, created by the service for the host's tenant
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(tenant_a):
        article = Article.objects.get(slug="port-out")
        assert list(article.steps.values_list("title_en", "sort_order")) == [
            ("First", 0),
            ("Second", 1),
            ("Third", 2),
        ]
        assert article.requirements.get().text_zh_hans == "身份证"
    assert response["Location"] == "/admin/guides/article/"
    assert article.tenant_id == tenant_a.pk
    assert article.author == editor
    assert article.status == Article.Status.DRAFT
    assert article.carrier_id == carrier.pk
    # exactly one revision, tagged, signed, holding the article and its parts
    assert Revision.objects.count() == revisions_before + 1
    revision = Revision.objects.get(meta__article_id=article.pk)
    meta = RevisionMeta.unscoped.get(revision=revision)
    assert (meta.tenant_id, meta.action) == (tenant_a.pk, RevisionMeta.Action.CREATE)
    assert revision.user == editor
    assert revision.get_comment().startswith("Added.")
    assert "Added step “第一步”" in revision.get_comment()
    assert revision.version_set.count() == 1 + 3 + 1
    # and the admin's log names the new article
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.action_flag == ADDITION and entry.user == editor


def test_save_and_continue_opens_the_new_articles_change_form(editor, tenant_a):
    client = signed_in(editor)
    data = add_form(client, slug="new", title_zh_hans="新", _continue="Save")
    response = client.post(ADD, data, **HOST)
    with tenant_context(tenant_a):
        article = Article.objects.get(slug="new")
    assert response.status_code == 302
    assert response["Location"] == change_url(article)


def test_an_invalid_add_form_keeps_every_value_including_inline_rows(editor, tenant_a):
    client = signed_in(editor)
    revisions_before = Revision.objects.count()
    data = add_form(client, slug="", title_en="Typed title", _save="Save")
    with_steps(data, [("0", "第一步", "First typed"), ("1", "", "Second typed")])
    response = client.post(ADD, data, **HOST)
    assert response.status_code == 200
    shown = form_data(response)
    assert shown["title_en"] == "Typed title"
    assert shown["steps-TOTAL_FORMS"] == "2"
    assert shown["steps-0-title_en"] == "First typed"
    assert shown["steps-0-title_zh_hans"] == "第一步"
    assert shown["steps-1-title_en"] == "Second typed"
    assert Revision.objects.count() == revisions_before
    with tenant_context(tenant_a):
        assert not Article.objects.exists()


def test_a_service_refusal_on_add_keeps_the_input_and_saves_nothing(editor, tenant_a):
    """A slug taken in this help center is caught by the service's full_clean."""
    make_article(tenant_a, slug="taken")
    client = signed_in(editor)
    revisions_before = Revision.objects.count()
    data = add_form(
        client, slug="taken", title_zh_hans="重复", title_en="Dup", _save="Save"
    )
    with_steps(data, [("0", "第一步", "Kept step")])
    response = client.post(ADD, data, **HOST)
    assert response.status_code == 200
    assert "This slug is already used in this help center." in response.content.decode()
    shown = form_data(response)
    assert shown["title_en"] == "Dup"
    assert shown["steps-0-title_en"] == "Kept step"
    assert Revision.objects.count() == revisions_before
    with tenant_context(tenant_a):
        assert Article.objects.count() == 1


def test_the_add_form_offers_only_this_tenants_carriers_and_card_types(
    users, tenant_a, tenant_b
):
    mine = make_carrier(tenant_a, slug="alpha-mobile")
    my_card = make_card_type(tenant_a, slug="alpha-card")
    theirs = make_carrier(tenant_b, slug="beta-mobile")
    their_card = make_card_type(tenant_b, slug="beta-card")
    with tenant_context(tenant_b):
        their_channel = theirs.channels.get()
    client = signed_in(users[Membership.Role.EDITOR])
    page = client.get(ADD, **HOST).content.decode()
    carrier_select = page.split('name="carrier"')[1].split("</select>")[0]
    card_select = page.split('name="card_type"')[1].split("</select>")[0]
    assert f'value="{mine.pk}"' in carrier_select
    assert f'value="{theirs.pk}"' not in carrier_select
    assert f'value="{my_card.pk}"' in card_select
    assert f'value="{their_card.pk}"' not in card_select
    # forged ids of the other tenant's rows are form errors, not server errors
    for forged in (
        {"carrier": str(theirs.pk)},
        {"card_type": str(their_card.pk)},
    ):
        data = add_form(
            client, slug="forged", title_zh_hans="伪造", _save="Save", **forged
        )
        response = client.post(ADD, data, **HOST)
        assert response.status_code == 200, forged
        assert "Select a valid choice" in response.content.decode()
    data = add_form(
        client, slug="forged", title_zh_hans="伪造", carrier=str(mine.pk), _save="Save"
    )
    with_steps(data, [("0", "第一步", "Call")])
    data["steps-0-channel"] = str(their_channel.pk)
    response = client.post(ADD, data, **HOST)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with tenant_context(tenant_a):
        assert not Article.objects.filter(slug="forged").exists()
    with tenant_context(tenant_b):
        assert not Article.objects.exists()
