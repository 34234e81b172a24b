"""The help center's HTTP API, at ``/api/v1/`` on every tenant host.

- ``public``: published content only, for integrators and answer engines
  (carriers, card types, procedures, search), cached like the pages;
- ``editor``: drafts, history and the editorial workflow, with a user's
  token (``auth``), through the same services as the admin.

``site`` builds the django-ninja API (schema at ``/api/v1/openapi.json``,
docs at ``/api/v1/docs``); ``urls`` mounts it. Errors are RFC 9457
problem details (``errors``).
"""
