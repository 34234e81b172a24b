"""The article history in the admin: list, compare, revert, recover, per tenant."""

import re

import pytest
from django.contrib.messages import get_messages
from reversion.models import Revision, Version

from guides import services
from guides.models import FAQ, Article, Membership, Publication, Step
from guides.selectors.diff import diff_states, inline_diff, revision_state
from guides.tenancy import tenant_context
from tests.factories import make_article, make_user, step

pytestmark = pytest.mark.django_db

# English pages: the admin otherwise speaks the default language, Chinese.
A = {"HTTP_HOST": "alpha.test", "HTTP_ACCEPT_LANGUAGE": "en"}
B = {"HTTP_HOST": "beta.test", "HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/admin/guides/article"


def revisions_of(tenant, article):
    with tenant_context(tenant):
        return list(services.article_revisions(article=article))


def step_ids(article_pk):
    return list(
        Step.unscoped.filter(article_id=article_pk)
        .order_by("sort_order", "pk")
        .values_list("pk", flat=True)
    )


def article_version(revision, article):
    return revision.version_set.get(
        content_type__model="article", object_id=str(article.pk)
    )


@pytest.fixture
def editor_a(tenant_a):
    return make_user("editor-a", tenant=tenant_a, role=Membership.Role.EDITOR)


@pytest.fixture
def edited(tenant_a, editor_a):
    """Return a published article, edited: both titles, step 3 first, a new step."""
    article = make_article(tenant_a, steps=3, user=editor_a, publish=True)
    with tenant_context(tenant_a):
        s1, s2, s3 = article.steps.all()
        services.article_update(
            article=article,
            user=editor_a,
            comment="Hotline first",
            title_zh_hans="注销 eSIM 卡",
            title_en="Cancel your eSIM",
            parts={"steps": [{"id": s3.pk}, {"id": s1.pk}, {"id": s2.pk}, step(9)]},
        )
    article.refresh_from_db()
    return article, (s1, s2, s3)


# --- history ------------------------------------------------------------------


def test_history_lists_the_revisions_newest_first_with_user_action_and_comment(
    client, tenant_a, editor_a, edited
):
    article, _steps = edited
    client.force_login(editor_a)
    response = client.get(f"{URL}/{article.pk}/history/", **A)
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(
        r'<tr class="revision" id="revision-(\d+)">(.*?)</tr>', page, re.DOTALL
    )
    expected = revisions_of(tenant_a, article)
    assert [int(pk) for pk, _row in rows] == [r.pk for r in expected]
    assert len(rows) == 3  # created, published, edited
    newest = rows[0][1]
    assert "editor-a" in newest and "Hotline first" in newest and "Edited" in newest
    assert "Published" in rows[1][1] and "Created" in rows[2][1]
    # each revision offers compare radios and a revert link
    assert page.count('type="radio" name="old"') == 3
    assert f"/history/{expected[-1].pk}/revert/" in page


# --- compare ------------------------------------------------------------------


def test_compare_shows_both_titles_changed_and_the_moved_step_as_moved(
    client, tenant_a, editor_a, edited
):
    article, (s1, s2, s3) = edited
    newest, _published, created = revisions_of(tenant_a, article)
    client.force_login(editor_a)
    # the older id second: the page still compares older -> newer
    response = client.get(
        f"{URL}/{article.pk}/history/compare/?old={newest.pk}&new={created.pk}", **A
    )
    assert response.status_code == 200
    page = response.content.decode()
    zh = page.split('id="compare-zh-hans"')[1].split("</section>")[0]
    en = page.split('id="compare-en"')[1].split("</section>")[0]
    assert "注销 eSIM<ins> 卡</ins>" in zh
    assert "<del>Cancel</del><ins>Cancel</ins>" not in en
    assert "<ins>your</ins>" in en and "<del>an</del>" in en
    moved = page.split(f'id="part-steps-{s3.pk}"')[1].split("</li>")[0]
    assert 'class="part part-moved"' in page.split(f'id="part-steps-{s3.pk}"')[0][-40:]
    assert "Moved from position 3 to 1" in moved
    # the steps that kept their relative order did not move; the new step is added
    for kept in (s1, s2):
        assert f'class="part part-unchanged" id="part-steps-{kept.pk}"' in page
    added = Step.unscoped.get(title_en="Step 9")
    assert f'class="part part-added" id="part-steps-{added.pk}"' in page
    assert "part-deleted" not in page


def test_diff_aligns_parts_by_id_and_reports_the_fewest_moves():
    def state(order):
        return {
            "article": {"title_en": "T"},
            "parts": {
                "steps": [(pk, {"title_en": f"s{pk}"}) for pk in order],
                "requirements": [],
                "tips": [],
                "faqs": [],
            },
        }

    # two parts moved; difflib's matching blocks would report three
    diff = diff_states(state([1, 2, 3, 4, 5, 6]), state([1, 2, 4, 6, 5, 3]), ["en"])
    statuses = {p.pk: p.status for p in diff.parts["steps"]}
    assert sorted(pk for pk, s in statuses.items() if s == "moved") in ([3, 5], [3, 6])
    assert [p.pk for p in diff.parts["steps"]] == [1, 2, 4, 6, 5, 3]
    # deleted, added and edited parts
    old, new = state([1, 2]), state([2, 7])
    new["parts"]["steps"][0][1]["title_en"] = "s2 edited"
    diff = diff_states(old, new, ["en"])
    by_pk = {p.pk: p for p in diff.parts["steps"]}
    assert (by_pk[1].status, by_pk[2].status, by_pk[7].status) == (
        "deleted",
        "changed",
        "added",
    )
    [title] = [c for c in by_pk[2].fields if c.name == "title" and c.changed]
    assert title.html == "s2<ins> edited</ins>"
    assert diff.has_changes
    assert not diff_states(old, old, ["en"]).has_changes


def test_inline_diff_escapes_html_and_compares_chinese_by_character():
    assert inline_diff("<b>old</b>", "<b>new</b>") == (
        "&lt;b&gt;<del>old</del><ins>new</ins>&lt;/b&gt;"
    )
    assert (
        inline_diff("拨打10086", "拨打10010") == "拨打<del>10086</del><ins>10010</ins>"
    )
    assert (
        inline_diff("注销手机卡", "注销电话卡")
        == "注销<del>手机</del><ins>电话</ins>卡"
    )


def test_revision_state_reads_only_the_given_article(tenant_a):
    """A revision holding two articles yields the asked one and its own parts."""
    first = make_article(tenant_a, "first", steps=1)
    second = make_article(tenant_a, "second", steps=2, title_en="Second")
    import reversion

    with tenant_context(tenant_a), reversion.create_revision():
        for article in (first, second):
            reversion.add_to_revision(article)
            for part in article.steps.all():
                reversion.add_to_revision(part)
    revision = Revision.objects.order_by("-pk").first()
    state = revision_state(revision, article_id=second.pk)
    assert state["article"]["title_en"] == "Second"
    assert [pk for pk, _f in state["parts"]["steps"]] == step_ids(second.pk)


# --- revert -------------------------------------------------------------------


def test_revert_asks_first_then_restores_titles_and_exactly_the_parts(
    client, tenant_a, editor_a, edited, django_capture_on_commit_callbacks
):
    article, (s1, s2, s3) = edited
    created = revisions_of(tenant_a, article)[-1]
    publication_before = Publication.unscoped.get(article=article).content
    client.force_login(editor_a)
    url = f"{URL}/{article.pk}/history/{created.pk}/revert/"
    # a GET only asks: nothing changes
    confirm = client.get(url, **A)
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    assert 'name="csrfmiddlewaretoken"' in confirm.content.decode()
    assert Article.unscoped.get(pk=article.pk).title_en == "Cancel your eSIM"
    # reversion's old revision URL only leads to the same confirmation
    version = article_version(created, article)
    old_url = client.get(f"{URL}/{article.pk}/history/{version.pk}/", **A)
    assert old_url.status_code == 302 and old_url["Location"] == url
    assert Article.unscoped.get(pk=article.pk).title_en == "Cancel your eSIM"
    # the POST reverts
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, **A)
    assert response.status_code == 302
    assert response["Location"] == f"{URL}/{article.pk}/change/"
    restored = Article.unscoped.get(pk=article.pk)
    assert (restored.title_zh_hans, restored.title_en) == (
        "注销 eSIM",
        "Cancel an eSIM",
    )
    assert step_ids(article.pk) == [s1.pk, s2.pk, s3.pk]
    assert not Step.unscoped.filter(title_en="Step 9").exists()
    assert restored.status == Article.Status.DRAFT
    assert Publication.unscoped.get(article=article).content == publication_before
    revisions = revisions_of(tenant_a, article)
    assert len(revisions) == 4 and revisions[0].meta.action == "revert"
    assert revisions[0].user == editor_a
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "success"
    assert "was reverted to the version of" in message.message


def test_revert_accepts_only_get_and_post(client, editor_a, edited):
    article, _steps = edited
    client.force_login(editor_a)
    created = Revision.objects.order_by("pk").first()
    response = client.put(f"{URL}/{article.pk}/history/{created.pk}/revert/", **A)
    assert response.status_code == 405
    assert Article.unscoped.get(pk=article.pk).title_en == "Cancel your eSIM"


# --- recover ------------------------------------------------------------------


def test_recover_lists_then_brings_back_a_deleted_article_with_its_parts(
    client, tenant_a, editor_a, django_capture_on_commit_callbacks
):
    article = make_article(tenant_a, "gone", steps=2, title_en="Gone article")
    pk = article.pk
    with tenant_context(tenant_a):
        services.article_delete(article=article, user=None)
        [version] = services.deleted_articles(tenant=tenant_a)
    client.force_login(editor_a)
    listing = client.get(f"{URL}/recover/", **A)
    assert listing.status_code == 200
    assert f'href="{URL}/recover/{version.pk}/"' in listing.content.decode()
    confirm = client.get(f"{URL}/recover/{version.pk}/", **A)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    assert not Article.unscoped.filter(pk=pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{URL}/recover/{version.pk}/", **A)
    assert response.status_code == 302 and response["Location"] == f"{URL}/{pk}/change/"
    recovered = Article.unscoped.get(pk=pk)
    assert (recovered.title_en, recovered.title_zh_hans) == (
        "Gone article",
        "注销 eSIM",
    )
    steps = Step.unscoped.filter(article_id=pk).order_by("sort_order")
    assert [(s.title_en, s.title_zh_hans) for s in steps] == [
        ("Step 1", "第1步"),
        ("Step 2", "第2步"),
    ]
    assert FAQ.unscoped.get(article_id=pk).answer_en == "1 to 7 working days"
    assert recovered.status == Article.Status.DRAFT


# --- other tenants and non-members --------------------------------------------


@pytest.fixture
def two_tenants(tenant_a, tenant_b, editor_a):
    """Tenant A with an edited article and a deleted one; tenant B with its own."""
    a = make_article(tenant_a, "a-live", steps=2, user=editor_a)
    with tenant_context(tenant_a):
        services.article_update(
            article=a,
            user=editor_a,
            title_en="A second",
            parts={"steps": [{"id": s.pk} for s in a.steps.all()] + [step(7)]},
        )
    a_gone = make_article(tenant_a, "a-gone", title_en="A deleted secret")
    with tenant_context(tenant_a):
        services.article_delete(article=a_gone, user=None)
        [a_deleted] = services.deleted_articles(tenant=tenant_a)
    b = make_article(tenant_b, "b-live", steps=2, title_en="B title")
    editor_b = make_user("editor-b", tenant=tenant_b, role=Membership.Role.EDITOR)
    a_revisions = revisions_of(tenant_a, a)
    b_revisions = revisions_of(tenant_b, b)
    return {
        "a": a,
        "a_gone_pk": a_gone.pk,
        "a_deleted": a_deleted,
        "a_revisions": a_revisions,
        "a_version": article_version(a_revisions[-1], a),
        "b": b,
        "b_revisions": b_revisions,
        "editor_b": editor_b,
    }


def snapshot(data):
    a = Article.unscoped.get(pk=data["a"].pk)
    b = Article.unscoped.get(pk=data["b"].pk)
    return {
        "a": (a.title_en, a.title_zh_hans, a.lock_version, step_ids(a.pk)),
        "b": (b.title_en, b.lock_version, step_ids(b.pk)),
        "a_gone": Article.unscoped.filter(pk=data["a_gone_pk"]).exists(),
        "revisions": Revision.objects.count(),
        "versions": Version.objects.count(),
    }


def test_another_tenants_editor_gets_404_for_everything_and_changes_nothing(
    client, two_tenants
):
    d = two_tenants
    a, b = d["a"], d["b"]
    a_new, a_old = d["a_revisions"][0].pk, d["a_revisions"][-1].pk
    b_rev = d["b_revisions"][0].pk
    before = snapshot(d)
    client.force_login(d["editor_b"])
    # positive control: the same pages answer for tenant B's own article
    assert client.get(f"{URL}/{b.pk}/history/", **B).status_code == 200
    own = f"{URL}/{b.pk}/history/compare/?old={b_rev}&new={b_rev}"
    assert client.get(own, **B).status_code == 200
    assert client.get(f"{URL}/{b.pk}/history/{b_rev}/revert/", **B).status_code == 200
    listing = client.get(f"{URL}/recover/", **B)
    assert listing.status_code == 200
    # the attacks, on tenant B's host with tenant A's ids
    attacks = [
        ("get", f"{URL}/{a.pk}/history/"),
        ("get", f"{URL}/{a.pk}/history/{d['a_version'].pk}/"),
        ("get", f"{URL}/{b.pk}/history/{d['a_version'].pk}/"),
        ("get", f"{URL}/{a.pk}/history/compare/?old={a_old}&new={a_new}"),
        ("get", f"{URL}/{b.pk}/history/compare/?old={a_old}&new={a_new}"),
        ("get", f"{URL}/{b.pk}/history/compare/?old={b_rev}&new={a_new}"),
        ("get", f"{URL}/{b.pk}/history/compare/?old={a_old}&new={b_rev}"),
        ("get", f"{URL}/{b.pk}/history/{a_old}/revert/"),
        ("post", f"{URL}/{b.pk}/history/{a_old}/revert/"),
        ("post", f"{URL}/{a.pk}/history/{a_old}/revert/"),
        ("get", f"{URL}/recover/{d['a_deleted'].pk}/"),
        ("post", f"{URL}/recover/{d['a_deleted'].pk}/"),
    ]
    for method, url in attacks:
        response = getattr(client, method)(url, **B)
        assert response.status_code == 404, (method, url, response.status_code)
        assert "A second" not in response.content.decode()
    # the recover list names no deleted article of tenant A
    assert "A deleted secret" not in listing.content.decode()
    assert f"/recover/{d['a_deleted'].pk}/" not in listing.content.decode()
    assert snapshot(d) == before


def test_a_user_without_membership_gets_nothing_on_the_tenants_host(
    client, two_tenants
):
    d = two_tenants
    a = d["a"]
    a_old, a_new = d["a_revisions"][-1].pk, d["a_revisions"][0].pk
    before = snapshot(d)
    for user in (make_user("outsider"), d["editor_b"]):
        client.force_login(user)
        for method, url in [
            ("get", f"{URL}/{a.pk}/history/"),
            ("get", f"{URL}/{a.pk}/history/{d['a_version'].pk}/"),
            (
                "get",
                f"{URL}/{a.pk}/history/compare/?old={a_old}&new={a_new}",
            ),
            ("get", f"{URL}/{a.pk}/history/{a_old}/revert/"),
            ("post", f"{URL}/{a.pk}/history/{a_old}/revert/"),
            ("get", f"{URL}/recover/"),
            ("get", f"{URL}/recover/{d['a_deleted'].pk}/"),
            ("post", f"{URL}/recover/{d['a_deleted'].pk}/"),
        ]:
            response = getattr(client, method)(url, **A)
            assert response.status_code == 404, (
                user,
                method,
                url,
                response.status_code,
            )
    assert snapshot(d) == before


# --- query counts -------------------------------------------------------------


@pytest.fixture
def article_with_revisions(tenant_a, editor_a):
    def build(n):
        article = make_article(tenant_a, steps=n, user=editor_a)
        with tenant_context(tenant_a):
            for i in range(n - 1):
                ids = [{"id": s.pk} for s in article.steps.all()]
                services.article_update(
                    article=article,
                    user=editor_a,
                    title_en=f"Title {i}",
                    parts={"steps": ids[1:] + ids[:1] + [step(100 + i)]},
                )
        return article, revisions_of(tenant_a, article)

    return build


HISTORY_QUERIES = 7  # session, user, role, article, revisions, 2 for perms
COMPARE_QUERIES = 8  # the same, plus the two revisions' versions


@pytest.mark.parametrize("n", [2, 10])
def test_history_page_makes_a_fixed_number_of_queries(
    client, editor_a, article_with_revisions, django_assert_num_queries, n
):
    article, revisions = article_with_revisions(n)
    assert len(revisions) == n
    client.force_login(editor_a)
    url = f"{URL}/{article.pk}/history/"
    client.get(url, **A)  # warm the session and content-type caches
    with django_assert_num_queries(HISTORY_QUERIES):
        response = client.get(url, **A)
    assert response.content.decode().count('class="revision"') == n


@pytest.mark.parametrize("n", [2, 10])
def test_compare_page_makes_a_fixed_number_of_queries(
    client, editor_a, article_with_revisions, django_assert_num_queries, n
):
    article, revisions = article_with_revisions(n)
    client.force_login(editor_a)
    url = (
        f"{URL}/{article.pk}/history/compare/"
        f"?old={revisions[-1].pk}&new={revisions[0].pk}"
    )
    client.get(url, **A)
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get(url, **A)
    # every step of both versions is on the page: n kept, n - 1 added
    assert response.content.decode().count('id="part-steps-') == 2 * n - 1


# --- every versioned admin checks the content type (issue 11, finding 6) --------


@pytest.fixture
def manager_a(tenant_a):
    return make_user("manager-a", tenant=tenant_a, role=Membership.Role.MANAGER)


def article_state(article):
    fresh = Article.unscoped.get(pk=article.pk)
    return (
        fresh.title_en,
        fresh.title_zh_hans,
        fresh.lock_version,
        step_ids(article.pk),
        Revision.objects.count(),
    )


def same_id_carrier(tenant, manager, pk):
    """Return a carrier of ``tenant`` whose id is ``pk`` (an article's id)."""
    from guides.models import Carrier

    with tenant_context(tenant):
        return services.settings_object_save(
            obj=Carrier(pk=pk, slug="same-id", name_zh_hans="同号", name_en="Same id"),
            user=manager,
        )


def test_an_articles_version_under_a_carriers_history_url_is_404(
    client, tenant_a, manager_a, edited
):
    """POST /admin/guides/carrier/<id>/history/<an article's version>/ reverted
    the article and wound its lock_version back."""
    article, _steps = edited
    created = revisions_of(tenant_a, article)[-1]
    version = article_version(created, article)
    carrier = same_id_carrier(tenant_a, manager_a, article.pk)
    assert str(carrier.pk) == version.object_id
    before = article_state(article)
    client.force_login(manager_a)
    url = f"/admin/guides/carrier/{carrier.pk}/history/{version.pk}/"
    form = {"slug": "same-id", "name_zh_hans": "同号", "sort_order": "0"}
    for method, data in (("get", {}), ("post", form)):
        response = getattr(client, method)(url, data, **A)
        assert response.status_code == 404, (method, response.status_code)
    assert article_state(article) == before


def test_no_versioned_admin_shows_or_reverts_another_models_version(
    client, tenant_a, manager_a, edited
):
    """Under every admin, a version of another model whose object id is the
    id in the URL answers 404, for show, revert and recover alike."""
    from guides.models import CardType, Carrier, SynonymGroup, Tenant

    article, _steps = edited
    with tenant_context(tenant_a):
        carrier = services.settings_object_save(
            obj=Carrier(slug="own", name_zh_hans="自有", name_en="Own"), user=manager_a
        )
        card = services.settings_object_save(
            obj=CardType(slug="own", name_zh_hans="卡", name_en="Card"), user=manager_a
        )
        synonyms = services.settings_object_save(
            obj=SynonymGroup(terms=["注销", "销户"]), user=manager_a
        )

    def version_with_id(model, pk):
        """Return a version of ``model`` whose object id is ``pk``."""
        with tenant_context(tenant_a):
            obj = model.unscoped.filter(pk=pk).first() or model.unscoped.create(
                pk=pk, tenant=tenant_a, slug=f"as-{pk}", name_zh_hans=f"同号{pk}"
            )
            services.settings_object_save(obj=obj, user=manager_a)
        return Version.objects.get_for_object(obj).first()

    admins = {
        "carrier": (carrier.pk, CardType),
        "cardtype": (card.pk, Carrier),
        "synonymgroup": (synonyms.pk, Carrier),
        "tenant": (tenant_a.pk, Carrier),
        "membership": (Membership.objects.get(user=manager_a).pk, Carrier),
        "article": (article.pk, Carrier),
    }
    foreign = {
        model: version_with_id(other, pk) for model, (pk, other) in admins.items()
    }
    article_v = article_version(revisions_of(tenant_a, article)[-1], article)

    def state():
        return (
            article_state(article),
            list(Carrier.unscoped.order_by("pk").values_list("pk", "name_en")),
            list(CardType.unscoped.order_by("pk").values_list("pk", "name_en")),
            Tenant.objects.filter(pk=tenant_a.pk).values_list("name").get(),
        )

    before = state()
    client.force_login(manager_a)
    for model, (pk, _other) in admins.items():
        other_v = foreign[model]
        assert other_v.object_id == str(pk)
        for version in (other_v, article_v if model != "article" else other_v):
            for url in (
                f"/admin/guides/{model}/{pk}/history/{version.pk}/",
                f"/admin/guides/{model}/recover/{version.pk}/",
            ):
                for method in ("get", "post"):
                    response = getattr(client, method)(url, **A)
                    assert response.status_code == 404, (
                        method,
                        url,
                        response.status_code,
                    )
    assert state() == before


def test_another_tenants_carrier_history_is_exactly_404(client, tenant_b, manager_a):
    from tests.factories import make_carrier

    carrier = make_carrier(tenant_b)
    client.force_login(manager_a)
    response = client.get(f"/admin/guides/carrier/{carrier.pk}/history/", **A)
    assert response.status_code == 404


def test_a_carrier_revert_restores_its_channels_in_one_tagged_revision(
    client, tenant_a, manager_a, django_capture_on_commit_callbacks
):
    """One tagged revision, the channels of the version exactly, caches bumped."""
    from guides.cache.generations import content_generation
    from guides.models import Carrier, Channel
    from tests.forms import form_data

    with tenant_context(tenant_a):
        carrier = services.settings_object_save(
            obj=Carrier(slug="mobile", name_zh_hans="移动", name_en="Mobile"),
            user=manager_a,
        )
        hotline = services.settings_object_save(
            obj=Channel(
                carrier=carrier, kind="hotline", label_zh_hans="热线", value="1"
            ),
            user=manager_a,
        )
        services.settings_object_save(obj=carrier, user=manager_a)
        first = Version.objects.get_for_object(carrier).first()
        hotline_pk = hotline.pk
        carrier.name_en = "Mobile renamed"
        services.settings_object_save(obj=carrier, user=manager_a)
        services.settings_object_delete(obj=hotline, user=manager_a)
        services.settings_object_save(
            obj=Channel(carrier=carrier, kind="app", label_zh_hans="应用", value="2"),
            user=manager_a,
        )
    client.force_login(manager_a)
    url = f"/admin/guides/carrier/{carrier.pk}/history/{first.pk}/"
    page = client.get(url, **A)
    assert page.status_code == 200
    assert 'value="Mobile"' in page.content.decode()
    assert Carrier.unscoped.get(pk=carrier.pk).name_en == "Mobile renamed"
    generation = content_generation(tenant_a.pk)
    revisions = Revision.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(page, "carrier_form"), **A)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Carrier.unscoped.get(pk=carrier.pk).name_en == "Mobile"
    channels = Channel.unscoped.filter(carrier=carrier)
    assert list(channels.values_list("pk", "value")) == [(hotline_pk, "1")]
    assert Revision.objects.count() == revisions + 1
    revision = Revision.objects.order_by("-pk").first()
    assert (revision.meta.tenant, revision.user) == (tenant_a, manager_a)
    assert content_generation(tenant_a.pk) != generation


# --- conflicts keep the page and say why (finding 7) -----------------------------


def test_a_revert_to_a_slug_now_taken_shows_why_and_keeps_the_page(
    client, tenant_a, editor_a
):
    article = make_article(tenant_a, "taken", user=editor_a)
    created = revisions_of(tenant_a, article)[-1]
    with tenant_context(tenant_a):
        services.article_update(article=article, user=editor_a, slug="moved")
    make_article(tenant_a, "taken", title_en="Taker")
    before = article_state(article)
    client.force_login(editor_a)
    url = f"{URL}/{article.pk}/history/{created.pk}/revert/"
    response = client.post(url, **A)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Taker" in page and "taken" in page
    assert 'id="revert-form"' in page
    assert article_state(article) == before


def test_a_recover_after_the_slug_was_reused_shows_why_then_takes_a_new_slug(
    client, tenant_a, editor_a
):
    article = make_article(tenant_a, "reused", title_en="Gone one")
    pk = article.pk
    with tenant_context(tenant_a):
        services.article_delete(article=article, user=None)
        [version] = services.deleted_articles(tenant=tenant_a)
    make_article(tenant_a, "reused", title_en="Newcomer")
    client.force_login(editor_a)
    url = f"{URL}/recover/{version.pk}/"
    form = client.get(url, **A).content.decode()
    assert 'name="slug"' in form and 'value="reused"' in form
    response = client.post(url, {"slug": "reused"}, **A)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Newcomer" in page and 'id="recover-form"' in page
    assert not Article.unscoped.filter(pk=pk).exists()
    response = client.post(url, {"slug": "reused-again"}, **A)
    assert response.status_code == 302
    assert Article.unscoped.get(pk=pk).slug == "reused-again"
