"""Editor API tokens: create one (its secret shown once) and revoke it."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from guides.models import ApiToken, Membership
from guides.permissions import require_role
from guides.tenancy import require_current_tenant
from guides.tenancy.context import require_owned

#: Every secret starts with this, so a leaked one is easy to recognise (and
#: to search for in logs and repositories).
SECRET_PREFIX = "hc_"  # noqa: S105  (a marker, not a secret)


def token_hash(secret: str) -> str:
    """Return the stored form of a secret: its SHA-256, hex-encoded.

    The secret is 256 random bits, so a plain hash is enough: no salt or slow
    hash is needed against guessing, and a lookup stays one indexed query.
    """
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user`` in the current tenant; return it and its secret.

    The secret is returned here only: the database keeps its hash.
    """
    tenant = require_current_tenant()
    # Any member may have tokens; a token acts with its user's role.
    require_role(tenant=tenant, user=user, role=Membership.Role.EDITOR)
    if user is None:
        raise PermissionDenied(_("A token belongs to a user."))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        tenant=tenant,
        user=user,
        name=name,
        prefix=secret[: len(SECRET_PREFIX) + 6],
        key_hash=token_hash(secret),
    )
    token.full_clean()
    with transaction.atomic():
        token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken, user) -> None:
    """Delete ``token``: its secret stops working at once.

    Users revoke their own tokens; superusers may revoke anyone's. Another
    tenant's token answers ``DoesNotExist`` like a missing one.
    """
    require_owned(token)
    if user is not None and not user.is_superuser and token.user_id != user.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    with transaction.atomic():
        token.delete()
