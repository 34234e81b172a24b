"""Benchmark search: index build time and query latency on SQLite and PostgreSQL.

Run it with ``make bench-search`` (or ``.venv/bin/python bench/search.py``
once ``make install messages`` has run). For each backend, in a fresh process
(settings are read once), it:

1. creates a scratch database: a SQLite file in a temporary directory, or the
   PostgreSQL database ``helpcenter_bench`` on ``postgres://postgres@127.0.0.1``
   (created here and dropped afterwards; no other database is touched), and
   migrates it;
2. generates the corpus in bulk (``bulk_create``, no services, no revisions):
   ``--tenants`` tenants (100) with ``--articles-per-tenant`` published
   articles (1,000), each in zh-hans and en, from seeded word lists, so the
   same arguments always give the same corpus;
3. builds the index: ``guides.search.indexing.index_tenant`` (what
   ``rebuild_search_index`` runs) on ``--sample-tenants`` tenants, timed as the
   production rate; the other tenants' documents are analysed with the same
   ``document_fields`` in two worker processes (cached between backends),
   given their tenant-and-language scope with ``scoped_fields`` (timed with
   the writes) and written with ``bulk_create``, which fires the same FTS5
   triggers and GIN maintenance;
4. runs a fixed, seeded set of reader queries through
   ``guides.search.searching.search`` (the whole reader path: analysis,
   synonyms, correction, facets, page, logging) against random tenants, after
   a warm-up, and times the backend's ``match`` alone as well;
5. on a missed target, profiles the slowest query with cProfile and times
   its SQL statements.

It prints a table and PASS/MISS against the p95 target and writes
``bench/out/search.json``. A missed target never fails the run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_FILE = ROOT / "bench" / "out" / "search.json"
PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_DATABASE = "helpcenter_bench"
LANGUAGES = ("zh-hans", "en")
#: Target from the issue: p95 under 20 ms on 2 cores at 100,000 articles.
P95_TARGET_MS = 20.0
SEED = 20261123

CARRIERS = [
    ("cmcc", "中国移动", "China Mobile", "10086"),
    ("unicom", "中国联通", "China Unicom", "10010"),
    ("telecom", "中国电信", "China Telecom", "10000"),
    ("cbn", "中国广电", "China Broadnet", "10099"),
    ("transit", "城市一卡通", "City Transit Card Co.", "96166"),
]
CARD_TYPES = [
    ("ten-day", "10日卡", "10-day card"),
    ("data-card", "流量卡", "data card"),
    ("esim", "eSIM", "eSIM"),
    ("5g", "5G卡", "5G card"),
    ("transit-card", "公交卡", "transit card"),
    ("sim", "手机卡", "SIM card"),
    ("iot", "物联网卡", "IoT card"),
]
# (zh verb, en verb, zh object phrase, en object phrase)
ACTIONS = [
    ("注销", "Cancel", "号码", "the number"),
    ("销户", "Close", "账户", "the account"),
    ("办理", "Apply for", "新卡", "a new card"),
    ("补卡", "Replace", "丢失的卡", "a lost card"),
    ("挂失", "Block", "丢失的卡", "a lost card"),
    ("退卡", "Return", "卡片并退还押金", "the card and get the deposit back"),
    ("充值", "Top up", "余额", "the balance"),
    ("解绑", "Unbind", "手表设备", "a smartwatch"),
    ("开通", "Turn on", "国际漫游", "international roaming"),
    ("变更", "Change", "套餐", "the plan"),
    ("携号转网", "Port", "号码到其他运营商", "the number to another carrier"),
    ("实名认证", "Register", "实名信息", "your real name"),
]
STEPS = [
    (
        "拨打客服热线{hotline}申请{verb}",
        "Call the hotline {hotline} and ask to {everb}",
    ),
    (
        "核对身份信息并回答安全问题",
        "Confirm your identity and answer the security questions",
    ),
    ("携带身份证原件到营业厅", "Bring your original ID card to a store"),
    ("在{carrier} App 中提交申请", "Submit the request in the {ecarrier} app"),
    ("发送短信{code}到{hotline}查询", "Text {code} to {hotline} to check"),
    ("结清欠费和未出账话费", "Pay any outstanding and unbilled charges"),
    ("剪卡并保留业务回执", "Cut the card and keep the receipt"),
    ("等待1到3个工作日审核", "Wait one to three working days for the review"),
    ("确认合约已到期，没有违约金", "Check that the contract has ended with no penalty"),
    (
        "在手表或手机上删除 eSIM 配置",
        "Remove the eSIM profile from your watch or phone",
    ),
    (
        "余额将原路退还到支付账户",
        "The balance is refunded to the original payment account",
    ),
    ("领取新卡并激活", "Collect the new card and activate it"),
]
REQUIREMENTS = [
    ("机主本人身份证", "The holder's own ID card"),
    ("服务密码", "The service password"),
    ("代办人身份证和授权书", "The agent's ID card and a letter of authority"),
    ("手机卡本身", "The SIM card itself"),
    ("银行账户信息", "Bank account details"),
]
TIPS = [
    (
        "到期前办理，避免继续扣费。",
        "Do it before the renewal date so no more fees are charged.",
    ),
    ("高峰时段热线等待较久。", "The hotline is busy at peak hours."),
    (
        "注销后号码九十天内不能找回。",
        "A cancelled number cannot be recovered after ninety days.",
    ),
    ("异地办理可能需要额外时间。", "Doing it in another city can take longer."),
    ("套餐内剩余流量不会退还。", "Unused data in the plan is not refunded."),
]
FAQS = [
    (
        "可以线上{verb}吗？",
        "Can I {everb} online?",
        "部分业务支持在 App 内办理。",
        "Some requests can be made in the app.",
    ),
    (
        "需要多长时间？",
        "How long does it take?",
        "一般当天完成，审核最长三个工作日。",
        "Usually the same day; a review takes up to three working days.",
    ),
    (
        "余额怎么处理？",
        "What happens to the balance?",
        "余额原路退还或转入其他号码。",
        "The balance is refunded or moved to another number.",
    ),
    (
        "{card}可以异地{verb}吗？",
        "Can I {everb} a {ecard} in another city?",
        "需要到归属地营业厅办理。",
        "You need to go to a store in the home city.",
    ),
]
SMS_CODES = ["CXYE", "QXTF", "0000", "KTMY", "ZX", "YE"]

# Queries (text, language). Fixed; the run picks from them with a seeded random.
QUERIES = [
    ("注销", "zh-hans"),
    ("销户", "zh-hans"),
    ("办理", "zh-hans"),
    ("补卡", "zh-hans"),
    ("挂失", "zh-hans"),
    ("退卡", "zh-hans"),
    ("5G卡", "zh-hans"),
    ("5G卡注销", "zh-hans"),
    ("eSIM", "zh-hans"),
    ("注销eSIM", "zh-hans"),
    ("10086", "zh-hans"),
    ("10日卡 注销", "zh-hans"),
    ("中国移动 销户", "zh-hans"),
    ("中国联通流量卡销户流程", "zh-hans"),
    ("如何注销中国电信手机卡", "zh-hans"),
    ("携号转网", "zh-hans"),
    ("国际漫游开通", "zh-hans"),
    ("余额退还", "zh-hans"),
    ("身份证", "zh-hans"),
    ("热线", "zh-hans"),
    ("物联网卡 解绑", "zh-hans"),
    ("量子纠缠", "zh-hans"),
    ("cancel", "en"),
    ("cancel esim", "en"),
    ("close account", "en"),
    ("replace lost sim", "en"),
    ("5G card", "en"),
    ("10086", "en"),
    ("china mobile 10-day card", "en"),
    ("how do i cancel my data card", "en"),
    ("cancle", "en"),
    ("reffund balance", "en"),
    ("roaming", "en"),
    ("top up", "en"),
    ("transit card deposit", "en"),
    ("zzyzx quokka", "en"),
    ("eSIM", "en"),
    ("注销", "en"),
]


# --------------------------------------------------------------------------
# Corpus: a pure function of (seed, tenant number), so workers can rebuild it.


def article_content(rng: random.Random, number: int) -> dict:
    """Return slug, carrier, card type and both languages' snapshots."""
    c_slug, c_zh, c_en, hotline = rng.choice(CARRIERS)
    k_slug, k_zh, k_en = rng.choice(CARD_TYPES)
    verb, everb, obj, eobj = rng.choice(ACTIONS)
    fmt = {
        "hotline": hotline,
        "verb": verb,
        "everb": everb.lower(),
        "carrier": c_zh,
        "ecarrier": c_en,
        "code": rng.choice(SMS_CODES),
        "card": k_zh,
        "ecard": k_en,
    }
    steps = rng.sample(STEPS, rng.randint(2, 5))
    reqs = rng.sample(REQUIREMENTS, rng.randint(1, 3))
    tips = rng.sample(TIPS, rng.randint(0, 2))
    faqs = rng.sample(FAQS, rng.randint(0, 2))
    minutes = rng.choice([5, 10, 15, 30, 60])
    fee = rng.choice([0, 0, 10, 20, 50])
    variants = [
        (f"如何{verb}{c_zh}{k_zh}", f"How to {everb.lower()} a {c_en} {k_en}"),
        (f"{c_zh}{k_zh}{verb}流程", f"{c_en} {k_en}: {everb.lower()} {eobj}"),
        (f"{k_zh}{verb}{obj}指南", f"Guide: {everb.lower()} {eobj} for a {k_en}"),
    ]
    title_zh, title_en = rng.choice(variants)
    snapshots = {}
    for lang in LANGUAGES:
        zh = lang == "zh-hans"
        pick = 0 if zh else 1
        hotline_channel = {
            "kind": "hotline",
            "label": "客服热线" if zh else "Hotline",
            "value": hotline,
            "href": f"tel:{hotline}",
            "opening_hours": "",
        }
        snapshots[lang] = {
            "title": (title_zh if zh else title_en) + f" #{number}",
            "summary": (
                f"{c_zh}{k_zh}{verb}{obj}的步骤和所需材料。"
                if zh
                else f"Steps and documents to {everb.lower()} {eobj} "
                f"of a {c_en} {k_en}."
            ),
            "introduction_html": "<p>"
            + (
                f"本指南说明{c_zh}用户如何{verb}{k_zh}，预计{minutes}分钟。"
                if zh
                else f"This guide explains how {c_en} customers {everb.lower()} "
                f"a {k_en}. It takes about {minutes} minutes."
            )
            + "</p>",
            "carrier": {"slug": c_slug, "name": c_zh if zh else c_en},
            "card_type": {"slug": k_slug, "name": k_zh if zh else k_en},
            "steps": [
                {
                    "title": step[pick].format(**fmt),
                    "body_html": f"<p>{step[pick].format(**fmt)}</p>",
                    "channel": hotline_channel if "hotline" in step[1] else None,
                }
                for step in steps
            ],
            "requirements": [{"kind": "document", "text": r[pick]} for r in reqs],
            "tips": [{"kind": "tip", "text": t[pick]} for t in tips],
            "faqs": [
                {
                    "question": f[pick].format(**fmt),
                    "answer_html": f"<p>{f[2 + pick].format(**fmt)}</p>",
                }
                for f in faqs
            ],
            "estimated_time": f"{minutes}分钟" if zh else f"{minutes} minutes",
            "fee_note": (f"手续费{fee}元" if zh else f"Fee: {fee} yuan") if fee else "",
            "fallback_fields": [],
        }
    return {
        "slug": f"{c_slug}-{k_slug}-{everb.lower().replace(' ', '-')}-{number}",
        "carrier": c_slug,
        "card_type": k_slug,
        "content": snapshots,
    }


def tenant_corpus(tenant_no: int, articles: int) -> list[dict]:
    """Return the articles of tenant number ``tenant_no`` (deterministic)."""
    rng = random.Random(SEED * 1000 + tenant_no)
    return [article_content(rng, n) for n in range(articles)]


def tenant_fields(job: tuple[int, int, str]) -> str:
    """Analyse one tenant's documents with ``document_fields``; return the file."""
    import pickle

    from guides.search.indexing import document_fields

    tenant_no, articles, cache_dir = job
    path = Path(cache_dir) / f"fields-{SEED}-{articles}-{tenant_no}.pickle"
    if not path.exists():
        rows = [
            {lang: document_fields(a["content"][lang]) for lang in LANGUAGES}
            for a in tenant_corpus(tenant_no, articles)
        ]
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
    return str(path)


# --------------------------------------------------------------------------
# One backend, in its own process.


def percentiles(samples: list[float]) -> dict:
    """Return p50/p95/p99/mean/max of ``samples`` (seconds) in milliseconds."""
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "n": len(ordered),
        "p50_ms": round(pick(0.50) * 1000, 2),
        "p95_ms": round(pick(0.95) * 1000, 2),
        "p99_ms": round(pick(0.99) * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def generate(args) -> tuple[list, float]:
    """Write tenants, catalogues, articles and publications in bulk."""
    from django.db import transaction

    from guides.models import (
        Article,
        CardType,
        Carrier,
        Channel,
        Publication,
        SynonymGroup,
        Tenant,
    )

    started = time.perf_counter()
    published = datetime(2026, 1, 1, tzinfo=UTC)
    tenants = []
    for t in range(args.tenants):
        with transaction.atomic():
            tenant = Tenant.objects.create(
                name=f"Bench {t}", slug=f"bench{t}", languages=list(LANGUAGES)
            )
            carriers = {
                slug: Carrier.unscoped.create(
                    tenant=tenant, slug=slug, name_zh_hans=zh, name_en=en, sort_order=i
                )
                for i, (slug, zh, en, _h) in enumerate(CARRIERS)
            }
            Channel.unscoped.bulk_create(
                Channel(
                    tenant=tenant,
                    carrier=carriers[slug],
                    kind="hotline",
                    label_zh_hans="客服热线",
                    label_en="Hotline",
                    value=hotline,
                )
                for slug, _zh, _en, hotline in CARRIERS
            )
            cards = {
                slug: CardType.unscoped.create(
                    tenant=tenant, slug=slug, name_zh_hans=zh, name_en=en, sort_order=i
                )
                for i, (slug, zh, en) in enumerate(CARD_TYPES)
            }
            SynonymGroup.unscoped.bulk_create(
                SynonymGroup(tenant=tenant, terms=terms)
                for terms in (
                    ["注销", "销户", "cancel", "deregister", "close"],
                    ["退卡", "退还", "return", "refund"],
                    ["补卡", "replace", "replacement"],
                )
            )
            corpus = tenant_corpus(t, args.articles_per_tenant)
            articles = Article.unscoped.bulk_create(
                [
                    Article(
                        tenant=tenant,
                        slug=a["slug"],
                        status="published",
                        carrier=carriers[a["carrier"]],
                        card_type=cards[a["card_type"]],
                        title=a["content"]["zh-hans"]["title"],
                        title_zh_hans=a["content"]["zh-hans"]["title"],
                        title_en=a["content"]["en"]["title"],
                        summary_zh_hans=a["content"]["zh-hans"]["summary"],
                        summary_en=a["content"]["en"]["summary"],
                    )
                    for a in corpus
                ],
                batch_size=500,
            )
            Publication.unscoped.bulk_create(
                [
                    Publication(
                        tenant=tenant,
                        article=article,
                        slug=a["slug"],
                        carrier=article.carrier,
                        card_type=article.card_type,
                        languages=list(LANGUAGES),
                        content=a["content"],
                        published_at=published + timedelta(minutes=i),
                    )
                    for i, (article, a) in enumerate(zip(articles, corpus, strict=True))
                ],
                batch_size=500,
            )
        tenants.append((tenant, [a.pk for a in articles]))
    return tenants, time.perf_counter() - started


def build_index(args, tenants) -> dict:
    """Index the sample tenants the production way, the rest in bulk."""
    import multiprocessing

    from django.db import connections, transaction

    from guides.models import Publication, SearchDocument
    from guides.search.indexing import index_tenant, scoped_fields

    sample = tenants[: args.sample_tenants]
    started = time.perf_counter()
    sample_docs = sum(index_tenant(tenant) for tenant, _ids in sample)
    sample_seconds = time.perf_counter() - started
    rest = tenants[args.sample_tenants :]

    started = time.perf_counter()
    jobs = [(t, args.articles_per_tenant, args.cache_dir) for t in range(len(tenants))]
    jobs = jobs[args.sample_tenants :]
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        files = pool.map(tenant_fields, jobs, chunksize=1)
    analyse_seconds = time.perf_counter() - started

    import pickle

    started = time.perf_counter()
    bulk_docs = 0
    for (tenant, article_ids), path in zip(rest, files, strict=True):
        rows = pickle.loads(Path(path).read_bytes())  # noqa: S301  (the benchmark's own temporary files)
        pubs = {
            p.article_id: p
            for p in Publication.unscoped.filter(tenant=tenant).only(
                "article_id", "slug", "carrier_id", "card_type_id", "published_at"
            )
        }
        docs = [
            SearchDocument(
                tenant_id=tenant.pk,
                article_id=pk,
                language=lang,
                slug=pubs[pk].slug,
                carrier_id=pubs[pk].carrier_id,
                card_type_id=pubs[pk].card_type_id,
                published_at=pubs[pk].published_at,
                **scoped_fields(fields[lang], tenant_id=tenant.pk, language=lang),
            )
            for pk, fields in zip(article_ids, rows, strict=True)
            for lang in LANGUAGES
        ]
        with transaction.atomic():
            SearchDocument.unscoped.bulk_create(docs, batch_size=500)
        bulk_docs += len(docs)
    write_seconds = time.perf_counter() - started
    rate = sample_docs / sample_seconds if sample_seconds else 0.0
    total = sample_docs + bulk_docs
    return {
        "documents": total,
        "index_tenant": {
            "tenants": len(sample),
            "documents": sample_docs,
            "seconds": round(sample_seconds, 2),
            "docs_per_second": round(rate, 1),
            "estimated_full_seconds": round(total / rate, 1) if rate else None,
        },
        "bulk_rest": {
            "tenants": len(rest),
            "documents": bulk_docs,
            "analyse_seconds": round(analyse_seconds, 2),
            "analyse_workers": args.workers,
            "write_seconds": round(write_seconds, 2),
        },
    }


def run_queries(args, tenants) -> dict:
    """Time ``search()`` and the backend match over seeded random queries."""
    from django.db import reset_queries

    from guides.search import analysis
    from guides.search.backends import clean_groups, get_search_backend
    from guides.search.searching import search, tenant_synonyms
    from guides.tenancy import tenant_context

    rng = random.Random(SEED)
    tenant_objs = [t for t, _ids in tenants]
    backend = get_search_backend()
    plan = [
        (rng.choice(tenant_objs), *rng.choice(QUERIES))
        for _ in range(args.warmup + args.queries)
    ]
    totals, matches, per_query, result_counts = [], [], {}, {}
    for i, (tenant, query, lang) in enumerate(plan):
        with tenant_context(tenant):
            started = time.perf_counter()
            outcome = search(tenant=tenant, language=lang, query=query)
            elapsed = time.perf_counter() - started
            groups = clean_groups(
                tenant_synonyms(tenant.pk).expand(analysis.query_tokens(query))
            )
            started = time.perf_counter()
            backend.match(tenant_id=tenant.pk, language=lang, groups=groups)
            match_elapsed = time.perf_counter() - started
        reset_queries()
        if i < args.warmup:
            continue
        totals.append(elapsed)
        matches.append(match_elapsed)
        per_query.setdefault(f"{query} [{lang}]", []).append(elapsed)
        result_counts[f"{query} [{lang}]"] = outcome.total
    slowest = sorted(
        ((statistics.median(v), k, len(v)) for k, v in per_query.items()),
        reverse=True,
    )
    return {
        "search": percentiles(totals),
        "backend_match": percentiles(matches),
        "slowest_queries": [
            {
                "query": k,
                "median_ms": round(m * 1000, 2),
                "runs": n,
                "results": result_counts[k],
            }
            for m, k, n in slowest[:8]
        ],
        "query_plan": plan,
    }


def profile_query(tenant, query: str, lang: str) -> dict:
    """Profile one query: top functions by cumulative time, and its SQL."""
    import cProfile
    import io
    import pstats

    from django.db import connection

    from guides.search.searching import search
    from guides.tenancy import tenant_context

    statements = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, sql))

    profiler = cProfile.Profile()
    with tenant_context(tenant):
        search(tenant=tenant, language=lang, query=query)  # warm caches
        with connection.execute_wrapper(timer):
            profiler.enable()
            for _ in range(5):
                search(tenant=tenant, language=lang, query=query)
            profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    sql_totals: dict[str, float] = {}
    for seconds, sql in statements:
        sql_totals[sql[:300]] = sql_totals.get(sql[:300], 0.0) + seconds / 5
    return {
        "query": query,
        "language": lang,
        "tenant": tenant.slug,
        "sql_ms_per_search": [
            {"ms": round(s * 1000, 2), "sql": q}
            for q, s in sorted(sql_totals.items(), key=lambda kv: -kv[1])
        ],
        "cprofile_top": out.getvalue().splitlines()[:60],
    }


def child(args) -> None:
    """Run the whole benchmark for the backend of ``DATABASE_URL``; print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - started
    tenants, generate_seconds = generate(args)
    index = build_index(args, tenants)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE guides_searchdocument")
    queries = run_queries(args, tenants)
    plan = queries.pop("query_plan")
    result = {
        "backend": settings.HELPCENTER_SEARCH_BACKENDS["default"]["BACKEND"],
        "vendor": connection.vendor,
        "database_version": connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else ".".join(str(p) for p in divmod(connection.pg_version, 10000)),
        "migrate_seconds": round(migrate_seconds, 2),
        "generate_seconds": round(generate_seconds, 2),
        "index": index,
        **queries,
    }
    if queries["search"]["p95_ms"] >= P95_TARGET_MS or args.profile:
        slow = queries["slowest_queries"][0]["query"]
        tenant, query, lang = next(p for p in plan if f"{p[1]} [{p[2]}]" == slow)
        result["profile"] = profile_query(tenant, query, lang)
    print("BENCH_JSON " + json.dumps(result, ensure_ascii=False), flush=True)


# --------------------------------------------------------------------------
# The parent: one child per backend, a table, the JSON file.


def run_backend(name: str, args, tmp: Path) -> dict | None:
    """Run ``child`` for one backend in a fresh process; return its result."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="helpcenter.settings.base")
    env["HELPCENTER_VAR_DIR"] = str(tmp / "var")
    env.setdefault("DEBUG", "0")
    if name == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        import psycopg

        env["DATABASE_URL"] = PG_SERVER + PG_DATABASE
        with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    command = [sys.executable, __file__, "--child", *child_args(args)]
    try:
        proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
    finally:
        if name == "postgres":
            with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
        print(line)
    print(f"{name}: the benchmark process failed (exit {proc.returncode}).")
    return None


def child_args(args) -> list[str]:
    out = [
        "--tenants",
        str(args.tenants),
        "--articles-per-tenant",
        str(args.articles_per_tenant),
        "--sample-tenants",
        str(args.sample_tenants),
        "--queries",
        str(args.queries),
        "--warmup",
        str(args.warmup),
        "--workers",
        str(args.workers),
        "--cache-dir",
        str(args.cache_dir),
    ]
    return out + (["--profile"] if args.profile else [])


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def report(results: dict, args) -> None:
    """Print the table and PASS/MISS lines."""
    print()
    print(
        f"Corpus: {args.tenants} tenants x {args.articles_per_tenant} articles x "
        f"{len(LANGUAGES)} languages"
    )
    header = (
        f"{'backend':<9} {'generate':>9} {'index rate':>12} {'index est.':>10} "
        f"{'p50':>7} {'p95':>7} {'p99':>7} {'match p95':>9}  target"
    )
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        if r is None:
            print(f"{name:<9} failed")
            continue
        idx = r["index"]["index_tenant"]
        s = r["search"]
        verdict = "PASS" if s["p95_ms"] < P95_TARGET_MS else "MISS"
        print(
            f"{name:<9} {r['generate_seconds']:>8.1f}s "
            f"{idx['docs_per_second']:>8.0f} d/s "
            f"{idx['estimated_full_seconds']:>9.0f}s "
            f"{s['p50_ms']:>6.1f}m {s['p95_ms']:>6.1f}m {s['p99_ms']:>6.1f}m "
            f"{r['backend_match']['p95_ms']:>8.1f}m  {verdict}"
        )
    print("(m = milliseconds; index est. = all documents at the index_tenant rate)")
    for name, r in results.items():
        if r is None:
            continue
        verdict = "PASS" if r["search"]["p95_ms"] < P95_TARGET_MS else "MISS"
        print(
            f"{verdict} {name}: search p95 {r['search']['p95_ms']:.1f} ms "
            f"(target < {P95_TARGET_MS:.0f} ms)"
        )
        print("  slowest queries (median ms):")
        for q in r["slowest_queries"][:5]:
            print(f"    {q['median_ms']:>7.1f}  {q['query']} ({q['results']} results)")
        if "profile" in r:
            print("  SQL per search of the slowest query:")
            for s in r["profile"]["sql_ms_per_search"][:5]:
                print(f"    {s['ms']:>7.2f} ms  {s['sql'][:110]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--backend", choices=["sqlite", "postgres", "both"], default="both"
    )
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--articles-per-tenant", type=int, default=1000)
    parser.add_argument(
        "--sample-tenants",
        type=int,
        default=2,
        help="tenants indexed with index_tenant (the production path) for the rate",
    )
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--profile", action="store_true", help="profile even on PASS")
    parser.add_argument("--cache-dir", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sample_tenants = max(1, min(args.sample_tenants, args.tenants))
    if args.child:
        child(args)
        return 0

    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    tmp = Path(tempfile.mkdtemp(prefix="helpcenter-bench-search-"))
    args.cache_dir = args.cache_dir or tmp / "fields"
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    started = time.perf_counter()
    try:
        for name in backends:
            print(f"== {name}: building the corpus and running queries...", flush=True)
            results[name] = run_backend(name, args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(results, args)
    OUT_FILE.parent.mkdir(parents=True, exist_ok=True)
    OUT_FILE.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "command": " ".join([Path(sys.executable).name, *sys.argv]),
                "machine": machine(),
                "corpus": {
                    "tenants": args.tenants,
                    "articles_per_tenant": args.articles_per_tenant,
                    "languages": list(LANGUAGES),
                    "seed": SEED,
                },
                "target_p95_ms": P95_TARGET_MS,
                "wall_seconds": round(time.perf_counter() - started, 1),
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    print(f"Wrote {OUT_FILE.relative_to(ROOT)}")
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
