"""Run by tests/operations/test_replicas.py in a child process, against a real
PostgreSQL primary (DATABASE_URL) and its streaming replica
(DATABASE_REPLICA_URLS), after ``migrate`` and ``load_demo`` on the primary.

It holds the replica back (``pg_wal_replay_pause``), writes on the primary
through the services, and records what each kind of request reads. It prints
one JSON object; the test asserts on it. Not a test module itself.
"""

from __future__ import annotations

import json
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from guides import services  # noqa: E402
from guides.models import Article, Carrier, Feedback, Tenant  # noqa: E402
from guides.tenancy.context import tenant_context  # noqa: E402

HOST = "localhost"
CARRIER_PAGE = "/zh-hans/carriers/{slug}/"


def replica_caught_up() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (primary_lsn,) = cursor.fetchone()
    with connections["replica_1"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [str(primary_lsn)]
        )
        (done,) = cursor.fetchone()
    return bool(done)


def wait_for_replica(seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not replica_caught_up():
        if time.monotonic() > deadline:
            raise SystemExit("the replica did not catch up in time")
        time.sleep(0.05)


def replay(paused: bool) -> None:
    with connections["replica_1"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_wal_replay_pause()"
            if paused
            else "SELECT pg_wal_replay_resume()"
        )


def carrier_page(client: Client, slug: str) -> str:
    response = client.get(CARRIER_PAGE.format(slug=slug), HTTP_HOST=HOST)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def main() -> None:
    result: dict[str, object] = {}
    tenant = Tenant.objects.using("default").get(slug="acme")
    user = get_user_model().objects.create_superuser(
        "replica-probe", "probe@example.com", "probe-password-2026"
    )
    with tenant_context(tenant):
        carrier = Carrier.objects.using("default").order_by("pk").first()
    slug = carrier.slug
    old_name = carrier.name_zh_hans
    new_name = f"{old_name}（新名称）"

    wait_for_replica()
    reader = Client()
    result["before"] = old_name in carrier_page(reader, slug)

    replay(paused=True)
    try:
        # A write on the primary that the replica has not replayed.
        with tenant_context(tenant):
            carrier.name_zh_hans = new_name
            services.carrier_save(carrier=carrier, user=user, comment="probe")

        # 1. A reader reads the replica: still the old name.
        page = carrier_page(Client(), slug)
        result["reader_sees_old"] = old_name in page and new_name not in page

        # 2. A signed-in editor reads the primary (their own write).
        editor = Client()
        editor.force_login(user)
        page = carrier_page(editor, slug)
        result["signed_in_sees_new"] = new_name in page
        admin = editor.get(
            f"/admin/guides/carrier/{carrier.pk}/change/", HTTP_HOST=HOST
        )
        result["admin_status"] = admin.status_code
        result["admin_sees_new"] = new_name in admin.content.decode()

        # 3. A reader who writes (feedback) goes to the primary, and reads the
        #    primary on the next request (read-your-writes).
        with tenant_context(tenant):
            article = (
                Article.objects.using("default")
                .filter(status=Article.Status.PUBLISHED)
                .order_by("pk")
                .first()
            )
        writer = Client()
        with tenant_context(tenant):
            feedback_before = Feedback.objects.using("default").count()
        response = writer.post(
            f"/zh-hans/guides/{article.slug}/feedback/",
            {"helpful": "yes", "comment": "", "website": ""},
            HTTP_HOST=HOST,
        )
        result["feedback_status"] = response.status_code
        with tenant_context(tenant):
            result["feedback_on_primary"] = (
                Feedback.objects.using("default").count() == feedback_before + 1
            )
        result["wrote_cookie"] = "hc_wrote" in writer.cookies
        page = carrier_page(writer, slug)
        result["writer_sees_new"] = new_name in page
    finally:
        replay(paused=False)

    # 4. Once the replica replays the write, readers see it.
    wait_for_replica()
    time.sleep(0.6)  # the per-process generation copy (REFRESH_SECONDS)
    page = carrier_page(Client(), slug)
    result["reader_sees_new_after_replay"] = new_name in page
    print("PROBE_JSON " + json.dumps(result))


if __name__ == "__main__":
    main()
