"""The editor API's authentication: ``Authorization: Bearer <token>``.

A token is looked up by the hash of its secret among the tokens of the
host's tenant only, so a token of another help center answers 401 exactly
like a wrong one. It acts as its user, and only while that user is active
and still a member of the tenant.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from guides import permissions
from guides.models import ApiToken
from guides.services.tokens import token_hash

#: Longer than any secret this API gives out: refused without a lookup.
MAX_SECRET_LENGTH = 128


class TokenAuth(HttpBearer):
    """Authenticate a user of the host's tenant by an API token."""

    openapi_description = "An API token created in the admin (Account > API tokens)."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not token or len(token) > MAX_SECRET_LENGTH:
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(token))
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        if permissions.user_role(tenant=request.tenant, user=api_token.user) is None:
            return None
        # The services read the acting user from here, as in the admin.
        request.user = api_token.user
        return api_token
