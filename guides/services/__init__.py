"""Every write goes through these functions: the one door for writes.

The admin, the management commands, the importer, the demo loader and the
test factories call the same service for the same write. Each runs in one
transaction, records one django-reversion revision tagged with the tenant
(``RevisionMeta``), and schedules its effects (publication, page-cache
generations, search index) with ``transaction.on_commit``
(``guides.services.effects``).

One module per entity; this package re-exports their public functions, so
callers write ``services.article_publish(...)``.
"""

from guides.services.articles import (
    ConcurrentEditError,
    article_create,
    article_delete,
    article_reorder_parts,
    article_update,
)
from guides.services.catalog import settings_object_delete, settings_object_save
from guides.services.feedback import FeedbackRateLimited, feedback_submit
from guides.services.history import (
    article_recover,
    article_revert,
    article_revisions,
    deleted_articles,
)
from guides.services.members import (
    is_last_manager,
    last_manager_message,
    membership_set,
)
from guides.services.tenants import lock_tenant, tenant_create
from guides.services.workflow import (
    article_archive,
    article_publish,
    article_schedule,
    article_submit,
    article_translation_confirm,
    article_unpublish,
    publish_due,
    validate_publishable,
)

__all__ = [
    "ConcurrentEditError",
    "FeedbackRateLimited",
    "article_archive",
    "article_create",
    "article_delete",
    "article_publish",
    "article_recover",
    "article_reorder_parts",
    "article_revert",
    "article_revisions",
    "article_schedule",
    "article_submit",
    "article_translation_confirm",
    "article_unpublish",
    "article_update",
    "deleted_articles",
    "feedback_submit",
    "is_last_manager",
    "last_manager_message",
    "lock_tenant",
    "membership_set",
    "publish_due",
    "settings_object_delete",
    "settings_object_save",
    "tenant_create",
    "validate_publishable",
]
