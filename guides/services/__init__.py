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
from guides.services.catalog import (
    card_type_delete,
    card_type_save,
    carrier_delete,
    carrier_save,
    settings_object_delete,
    settings_object_save,
    synonym_group_delete,
    synonym_group_save,
)
from guides.services.feedback import (
    FeedbackRateLimited,
    feedback_delete,
    feedback_submit,
)
from guides.services.freshness import (
    article_review_interval_set,
    article_verify,
    review_reminders_send,
)
from guides.services.history import (
    article_recover,
    article_revert,
    article_revisions,
    deleted_articles,
    settings_object_preview,
    settings_object_recover,
    settings_object_revert,
)
from guides.services.members import (
    InvitationClosed,
    InvitationInvalid,
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_check,
    invitation_for_token,
    invitation_revoke,
    invitation_send,
    is_last_manager,
    last_manager_message,
    manager_ids,
    membership_delete,
    membership_role_check,
    membership_set,
)
from guides.services.tenants import (
    DomainRow,
    domain_add,
    domain_grant,
    domain_remove,
    domain_states,
    domain_verify,
    lock_tenant,
    tenant_create,
    tenant_delete,
    tenant_domains_check,
    tenant_settings_update,
)
from guides.services.tokens import api_token_create, api_token_revoke
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
    "DomainRow",
    "FeedbackRateLimited",
    "InvitationClosed",
    "InvitationInvalid",
    "api_token_create",
    "api_token_revoke",
    "article_archive",
    "article_create",
    "article_delete",
    "article_publish",
    "article_recover",
    "article_reorder_parts",
    "article_revert",
    "article_review_interval_set",
    "article_revisions",
    "article_schedule",
    "article_submit",
    "article_translation_confirm",
    "article_unpublish",
    "article_update",
    "article_verify",
    "card_type_delete",
    "card_type_save",
    "carrier_delete",
    "carrier_save",
    "deleted_articles",
    "domain_add",
    "domain_grant",
    "domain_remove",
    "domain_states",
    "domain_verify",
    "feedback_delete",
    "feedback_submit",
    "invitation_accept",
    "invitation_accept_with_new_account",
    "invitation_check",
    "invitation_for_token",
    "invitation_revoke",
    "invitation_send",
    "is_last_manager",
    "last_manager_message",
    "lock_tenant",
    "manager_ids",
    "membership_delete",
    "membership_role_check",
    "membership_set",
    "publish_due",
    "review_reminders_send",
    "settings_object_delete",
    "settings_object_preview",
    "settings_object_recover",
    "settings_object_revert",
    "settings_object_save",
    "synonym_group_delete",
    "synonym_group_save",
    "tenant_create",
    "tenant_delete",
    "tenant_domains_check",
    "tenant_settings_update",
    "validate_publishable",
]
