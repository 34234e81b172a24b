"""The demo's logins: a manager per help center, printed by load_demo (and so
by ``make run``), who can sign in and import; and its freshness examples."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from guides.demo import data
from guides.models import Membership, Tenant
from guides.permissions import MANAGER, user_role
from guides.selectors.freshness import stale_articles

pytestmark = pytest.mark.django_db


def test_each_demo_tenant_has_a_manager_login_that_can_import(client):
    out = StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()
    for spec in data.TENANTS:
        tenant = Tenant.objects.get(slug=spec["slug"])
        manager = spec["manager"]
        # printed, with the password and the admin address
        assert (
            f"manager login: {manager['username']} / {manager['password']} "
            f"at http://{spec['domains'][0]}:8000/admin/"
        ) in output
        membership = Membership.objects.get(
            tenant=tenant, user__username=manager["username"]
        )
        assert user_role(tenant=tenant, user=membership.user) == MANAGER
        # signs in with that password and reaches the import page
        assert client.login(username=manager["username"], password=manager["password"])
        response = client.get(
            "/admin/guides/article/import/", HTTP_HOST=spec["domains"][0]
        )
        assert response.status_code == 200
        client.logout()
        # the freshness examples: the procedures verified long ago are stale
        due = {slug for slug, (days, _c) in spec["verifications"].items() if days > 180}
        assert {a.slug for a in stale_articles(tenant)} == due
