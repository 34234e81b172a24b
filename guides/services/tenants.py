"""Tenants: creation, settings, domains and the proof that a host is theirs.

The domain rules live here and nowhere else:

- a tenant has at least one domain and exactly one primary domain, and the
  primary domain is a verified one (it names every canonical URL);
- the host a manager is signed in through stays (they would lock
  themselves out);
- a host is new to a tenant when the tenant did not have it before the
  write. A manager may add a new host only if no other tenant holds it
  (holds: verified) and it is not under another tenant's host
  (``www.beta.example`` when beta holds ``beta.example``). The refusal is
  the same in both cases and names no tenant. The host then waits,
  unverified and answering like an unknown host, until the manager proves
  it (``domain_verify``);
- a superuser (or the system: commands, the demo loader) grants: their new
  hosts are verified at once and may sit under another tenant's host.

Verification is not content: a revert never restores it. A host the tenant
had before the write keeps the state it had; any other host starts again.
Every write runs under the tenant lock in one transaction with one revision
tagged with the tenant, holding the tenant and all of its domains. Host
lookups and the tenant's public pages are keyed on generations that the
receivers of every tenant and domain save bump in that same transaction
(``guides.receivers``: they cover reverts and raw loads too); the search
index follows a change of languages through the receiver of tenant saves.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guides.models import Domain, Tenant
from guides.models.tenants import validate_hostname
from guides.permissions import MANAGER, require_role
from guides.services.revisions import settings_revision
from guides.tenancy.verification import VerificationFailed, get_verifier

Verification = Domain.Verification


def clean_host(host: str) -> str:
    """Return ``host`` lowercased, without surrounding space or a trailing dot.

    Only case and a trailing dot are forgiven: a scheme, path or port is
    reported by the host validator rather than silently cut off.
    """
    return (host or "").strip().lower().rstrip(".")


def grants(user) -> bool:
    """Return whether ``user``'s new hosts are granted without a proof.

    ``None`` is the system itself (commands, the demo loader, fixtures).
    """
    return user is None or (user.is_active and user.is_superuser)


def _require_granting(user) -> None:
    if not grants(user):
        raise PermissionDenied(
            _("Only an administrator of this installation can do this.")
        )


def _hosts_above(host: str) -> list[str]:
    labels = host.split(".")
    return [".".join(labels[start:]) for start in range(1, len(labels))]


def host_unavailable(*, tenant_id: int | None, host: str, granted: bool) -> bool:
    """Return whether another tenant's verified host stands in ``host``'s way.

    That is the host itself, or (unless ``granted``) a host above it.
    """
    hosts = [host] if granted else [host, *_hosts_above(host)]
    return (
        Domain.objects.filter(host__in=hosts, verified_at__isnull=False)
        .exclude(tenant_id=tenant_id)
        .exists()
    )


def _unavailable_error(host: str) -> ValidationError:
    # One message for "held" and "under another tenant's host", naming no
    # tenant: the refusal must not tell a manager who owns what.
    return ValidationError(
        _(
            "%(host)s cannot be added to this help center. If it is yours, ask "
            "an administrator of this installation to add it."
        ),
        code="host_unavailable",
        params={"host": host},
    )


@dataclass(frozen=True)
class DomainRow:
    """One change to a tenant's domains.

    ``pk`` names an existing domain of the tenant (a row that is not the
    tenant's is ignored, as a crafted form's would be); ``pk=None`` adds one.
    Domains not named keep what they have.
    """

    host: str
    is_primary: bool = False
    pk: int | None = None
    delete: bool = False


#: A host's verification state: (verified_at, verified_via).
VerificationState = tuple[datetime | None, str]


@dataclass
class _Planned:
    pk: int | None
    host: str
    is_primary: bool
    verified_at: datetime | None = None
    verified_via: str = ""


def lock_tenant(tenant_id: int) -> None:
    """Serialise concurrent changes to one tenant's domains or managers.

    Inside a transaction the lock holds until it commits, so two managers
    demoting each other cannot both pass the last-manager check. (SQLite has
    no row locks; it serialises writes.)
    """
    if connection.in_atomic_block:
        list(Tenant.objects.select_for_update().filter(pk=tenant_id).values_list("pk"))


def domain_states(tenant: Tenant) -> dict[str, VerificationState]:
    """Return each of the tenant's hosts with its verification state.

    The admin takes this before a revert rewrites the table, and passes it
    to the services as ``before``.
    """
    if tenant.pk is None:
        return {}
    return {
        host: (verified_at, via)
        for host, verified_at, via in Domain.objects.filter(tenant=tenant).values_list(
            "host", "verified_at", "verified_via"
        )
    }


def _plan_domains(
    *,
    tenant: Tenant,
    user,
    changes: Sequence[DomainRow],
    request_host: str | None,
    before: dict[str, VerificationState] | None,
) -> tuple[list[_Planned], list[Domain]]:
    """Return the domains the tenant will have, and the rows to delete.

    Raise one ValidationError listing every rule the result would break.
    """
    current = (
        {d.pk: d for d in Domain.objects.filter(tenant=tenant)} if tenant.pk else {}
    )
    if before is None:
        before = {d.host: (d.verified_at, d.verified_via) for d in current.values()}
    rows: dict[Any, _Planned] = {
        pk: _Planned(pk, d.host, d.is_primary) for pk, d in current.items()
    }
    errors: list[ValidationError] = []
    for index, change in enumerate(changes):
        if change.pk is not None and change.pk not in current:
            continue
        if change.delete:
            rows.pop(change.pk, None)
            continue
        host = clean_host(change.host)
        try:
            validate_hostname(host)
        except ValidationError as invalid:
            errors.append(invalid)
            continue
        key = change.pk if change.pk is not None else ("new", index)
        rows[key] = _Planned(change.pk, host, bool(change.is_primary))
    planned = list(rows.values())
    for host, count in Counter(row.host for row in planned).items():
        if count > 1:
            errors.append(
                ValidationError(
                    _("%(host)s is listed twice."),
                    code="duplicate_host",
                    params={"host": host},
                )
            )
    granted = grants(user)
    now = timezone.now()
    for row in planned:
        if row.host in before:
            row.verified_at, row.verified_via = before[row.host]
        elif host_unavailable(tenant_id=tenant.pk, host=row.host, granted=granted):
            errors.append(_unavailable_error(row.host))
        elif granted:
            row.verified_at, row.verified_via = now, Verification.GRANT
    if not planned:
        errors.append(
            ValidationError(
                _("A help center needs at least one domain."), code="no_domain"
            )
        )
    primaries = [row for row in planned if row.is_primary]
    if len(primaries) > 1:
        errors.append(
            ValidationError(
                _("Only one domain can be the primary domain."),
                code="several_primary",
            )
        )
    elif planned and not primaries:
        errors.append(
            ValidationError(
                _("Mark one domain as the primary domain."), code="no_primary"
            )
        )
    elif primaries and primaries[0].verified_at is None:
        errors.append(
            ValidationError(
                _(
                    "%(host)s is not verified yet, so it cannot be the primary "
                    "domain. Verify it first."
                ),
                code="unverified_primary",
                params={"host": primaries[0].host},
            )
        )
    if request_host and request_host not in {row.host for row in planned}:
        errors.append(
            ValidationError(
                _(
                    "You are signed in through %(host)s, so it cannot be "
                    "removed or renamed here. Sign in on another domain of "
                    "this help center to change it."
                ),
                params={"host": request_host},
                code="domain_in_use",
            )
        )
    if errors:
        raise ValidationError(errors)
    kept = {row.pk for row in planned}
    return planned, [domain for pk, domain in current.items() if pk not in kept]


def _write_domains(tenant: Tenant, planned: list[_Planned], deleted) -> None:
    for domain in deleted:
        domain.delete()
    existing = {d.pk: d for d in Domain.objects.filter(tenant=tenant)}
    # The table allows one primary domain per tenant at any moment: the rows
    # that stop being primary are written first.
    for row in sorted(planned, key=lambda row: row.is_primary):
        domain = existing.get(row.pk) or Domain(tenant=tenant)
        values = (row.host, row.is_primary, row.verified_at, row.verified_via)
        if domain.pk is not None and values == (
            domain.host,
            domain.is_primary,
            domain.verified_at,
            domain.verified_via,
        ):
            continue
        domain.host, domain.is_primary, domain.verified_at, domain.verified_via = values
        domain.save()


@contextlib.contextmanager
def _saving_domains(host: str = "") -> Iterator[None]:
    """Turn a uniqueness race lost to another transaction into a form error.

    Another tenant verified the host, or a row was renamed onto another,
    between the check and the write.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as race:
        if host:
            raise _unavailable_error(host) from race
        raise ValidationError(
            _("The domains changed while they were saved. Check them and save again."),
            code="domains_changed",
        ) from race


def tenant_domains_check(
    *,
    tenant: Tenant,
    user,
    domains: Sequence[DomainRow],
    request_host: str | None = None,
    before: dict[str, VerificationState] | None = None,
) -> None:
    """Raise the ValidationError ``tenant_settings_update`` would raise.

    For forms, which show the errors next to what was typed. Inside a
    transaction it takes the tenant lock, so the save that follows in the
    same transaction is judged on the same rows.
    """
    if tenant.pk is not None:
        lock_tenant(tenant.pk)
    _plan_domains(
        tenant=tenant,
        user=user,
        changes=domains,
        request_host=request_host,
        before=before,
    )


def tenant_settings_update(
    *,
    tenant: Tenant,
    user,
    domains: Sequence[DomainRow] = (),
    request_host: str | None = None,
    before: dict[str, VerificationState] | None = None,
    comment: str = "",
) -> Tenant:
    """Save the settings set on ``tenant`` and apply ``domains`` to its domains.

    A tenant without a primary key is created (superusers and the system
    only). ``request_host`` is the host the user is signed in through, when
    it is one of this tenant's. ``before`` is the tenant's hosts with their
    verification state before the request changed the table (a revert);
    by default, the table's.
    """
    if tenant.pk is None:
        _require_granting(user)
    else:
        require_role(tenant=tenant, user=user, role=MANAGER)
    with settings_revision(
        tenant=tenant, user=user, comment=comment or _("Changed the settings.")
    ):
        if tenant.pk is not None:
            lock_tenant(tenant.pk)
        tenant.full_clean()
        planned, deleted = _plan_domains(
            tenant=tenant,
            user=user,
            changes=domains,
            request_host=request_host,
            before=before,
        )
        with _saving_domains():
            tenant.save()
            _write_domains(tenant, planned, deleted)
        reversion.add_to_revision(tenant)
    return tenant


def follow_languages(tenant_id: int) -> None:
    """Add or drop search documents for the tenant's enabled languages.

    For a tenant restored by a revert (a raw save, which the receiver of
    tenant saves skips), once the restore commits.
    """
    from guides.search.indexing import tenant_languages_changed

    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is not None:
        tenant_languages_changed(tenant)


def domain_add(*, tenant: Tenant, user, host: str, is_primary: bool = False) -> Domain:
    """Add ``host`` to the tenant: verified if ``user`` grants, else pending."""
    host = clean_host(host)
    changes = [DomainRow(host=host, is_primary=is_primary)]
    if is_primary:
        changes += [
            DomainRow(pk=pk, host=old, is_primary=False)
            for pk, old in tenant.domains.filter(is_primary=True).values_list(
                "pk", "host"
            )
        ]
    tenant_settings_update(
        tenant=tenant,
        user=user,
        domains=changes,
        comment=_("Added the domain %(host)s.") % {"host": host},
    )
    return Domain.objects.get(tenant=tenant, host=host)


def domain_remove(
    *, tenant: Tenant, user, domain: Domain, request_host: str | None = None
) -> None:
    """Remove one of the tenant's domains (another tenant's is DoesNotExist)."""
    if domain.tenant_id != tenant.pk:
        raise Domain.DoesNotExist
    tenant_settings_update(
        tenant=tenant,
        user=user,
        domains=[DomainRow(pk=domain.pk, host=domain.host, delete=True)],
        request_host=request_host,
        comment=_("Removed the domain %(host)s.") % {"host": domain.host},
    )


def domain_verify(*, tenant: Tenant, user, domain: Domain) -> Domain:
    """Check the proof that ``domain``'s host is the tenant's, and record it.

    Raise ValidationError with the reason when no proof is found, or when
    another tenant holds the host or a host above it. The network check
    runs outside the transaction, so no lock is held while it waits.
    """
    require_role(tenant=tenant, user=user, role=MANAGER)
    if domain.tenant_id != tenant.pk:
        raise Domain.DoesNotExist
    if domain.verified_at is not None:
        return domain
    if host_unavailable(tenant_id=tenant.pk, host=domain.host, granted=False):
        raise _unavailable_error(domain.host)
    try:
        method = get_verifier().verify(tenant_id=tenant.pk, host=domain.host)
    except VerificationFailed as failed:
        raise ValidationError(failed.message, code="not_verified") from None
    return _mark_verified(tenant=tenant, user=user, domain=domain, method=method)


def domain_grant(*, tenant: Tenant, user, domain: Domain) -> Domain:
    """Verify ``domain`` without a proof: a superuser's (or the system's) grant."""
    _require_granting(user)
    if domain.tenant_id != tenant.pk:
        raise Domain.DoesNotExist
    return _mark_verified(
        tenant=tenant, user=user, domain=domain, method=Verification.GRANT
    )


def _mark_verified(*, tenant: Tenant, user, domain: Domain, method: str) -> Domain:
    granted = method == Verification.GRANT
    with settings_revision(
        tenant=tenant,
        user=user,
        comment=_("Verified the domain %(host)s.") % {"host": domain.host},
    ):
        lock_tenant(tenant.pk)
        current = Domain.objects.filter(
            pk=domain.pk, tenant=tenant, host=domain.host
        ).first()
        if current is None:
            raise ValidationError(
                _("The domain changed while it was checked. Check it again."),
                code="domains_changed",
            )
        if current.verified_at is not None:
            return current
        if host_unavailable(tenant_id=tenant.pk, host=current.host, granted=granted):
            raise _unavailable_error(current.host)
        current.verified_at, current.verified_via = timezone.now(), method
        with _saving_domains(current.host):
            current.save(update_fields=["verified_at", "verified_via"])
        reversion.add_to_revision(tenant)
    return current


def tenant_delete(*, tenant: Tenant, user) -> None:
    """Delete a tenant and everything it owns (superusers and the system only).

    No revision is kept: a tenant's revisions are tagged with it and go with
    it. Its hosts stop resolving once the deletion commits.
    """
    _require_granting(user)
    tenant_id = tenant.pk
    with transaction.atomic():
        lock_tenant(tenant_id)
        tenant.delete()


@transaction.atomic
def tenant_create(
    *,
    slug: str,
    name: str,
    hosts: Iterable[str],
    languages: list[str] | None = None,
    default_language: str | None = None,
    **branding: Any,
) -> tuple[Tenant, bool]:
    """Create a tenant with its domains, or return the existing one unchanged.

    For the system (``create_tenant``, the demo loader, fixtures): its hosts
    are granted, verified at once. Idempotent: calling it again with the
    same slug and hosts changes nothing. A host that already serves another
    tenant is a ValidationError naming it, for the operator.
    """
    hosts = [clean_host(h) for h in hosts]
    if not hosts:
        raise ValidationError(_("A help center needs at least one domain."))
    tenant = Tenant.objects.filter(slug=slug).first()
    created = tenant is None
    taken = (
        Domain.objects.filter(host__in=hosts, verified_at__isnull=False)
        .exclude(tenant_id=tenant.pk if tenant else None)
        .select_related("tenant")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            _("The host %(host)s already serves the help center “%(tenant)s”.")
            % {"host": taken.host, "tenant": taken.tenant.slug}
        )
    if created:
        languages = ["zh-hans", "en"] if languages is None else languages
        tenant = Tenant(
            slug=slug,
            name=name,
            languages=languages,
            default_language=default_language or (languages[0] if languages else ""),
            **branding,
        )
    have = domain_states(tenant)
    new = [host for host in dict.fromkeys(hosts) if host not in have]
    pending = [host for host in hosts if host in have and have[host][0] is None]
    if not created and not new and not pending:
        return tenant, False
    # Hosts the tenant claimed but never proved are granted too: counted as
    # new, they are verified by the system's grant.
    before = {host: state for host, state in have.items() if host not in pending}
    has_primary = (
        tenant.pk is not None and tenant.domains.filter(is_primary=True).exists()
    )
    rows = [
        DomainRow(host=host, is_primary=not has_primary and index == 0)
        for index, host in enumerate(new)
    ]
    tenant_settings_update(
        tenant=tenant,
        user=None,
        domains=rows,
        before=before,
        comment=_("Created the help center.") if created else _("Added domains."),
    )
    return tenant, created
