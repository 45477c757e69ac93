"""When the navigation's cached counts go stale: change stamps in the cache.

The bell's and the inbox's counts are cached per user for a minute (selectors.nav_counts), so that
a page view never computes them. Each cached figure remembers the stamps it was computed under:

- the user's own stamp;
- for someone overseeing others, one stamp per subtree root of his scope (orgs.access.Scope
  .node_paths: a supervisor's teams, a head's branch), or "all" for those who see everything;
- "unplaced", for changes to records that sit in no org node (an appraisal period computed, the
  calendar or the planning settings changed: rare, and they move everybody's due dates).

Every write service records an audit entry (core.audit.audit_record, naming the record it changed).
Once that transaction commits, the entry bumps the stamps of the people the change concerns: the
actor; the record's owner (or staff member); the org node the record sits in and every node above
it, so whoever oversees that node; "all". A record with no owner and no node bumps "unplaced" (and
the actor). A cached figure whose stamps moved is stale: the next page loads the counts again, so
the counts follow an action elsewhere at once instead of up to a minute later. Changes that are not
audited still show within the minute the figures live.

Costs: reading two cache reads, no query; a change one primary-key query after the commit and one
cache write. The stamps live in Django's cache: with several server processes, configure a shared
cache (Redis, the database cache) so that a change in one process is seen by the others; the default
per-process memory cache only sees its own process's changes (the minute still bounds the lag).
"""

import logging
import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import transaction

from amdesk.orgs.access import scope_of
from amdesk.orgs.models import PATH_SEPARATOR

log = logging.getLogger(__name__)

PREFIX = "notifications:stamp:"
ALL = PREFIX + "all"
UNPLACED = PREFIX + "unplaced"
# Longer than any cached figure lives: a stamp gone from the cache only makes a figure stale.
STAMP_SECONDS = 24 * 3600


def user_key(user_id) -> str:
    return f"{PREFIX}user:{user_id}"


def node_key(path: str) -> str:
    return f"{PREFIX}node:{path}"


def viewer_keys(viewer) -> list[str]:
    """The stamps a figure of this viewer depends on (reads his scope: call it while computing)."""
    scope = scope_of(viewer)
    keys = [user_key(viewer.pk), UNPLACED]
    if scope.sees_all:
        keys.append(ALL)
    else:
        keys.extend(node_key(path) for path in scope.node_paths)
    return keys


def read(keys: list[str]) -> dict[str, str | None]:
    found = cache.get_many(keys)
    return {key: found.get(key) for key in keys}


def still_valid(stamps: dict[str, str | None]) -> bool:
    """Whether none of these stamps moved since they were read (one cache read)."""
    return not stamps or read(list(stamps)) == stamps


def _ancestors(path: str) -> list[str]:
    """The node's path and the path of every node above it."""
    steps = [step for step in path.split(PATH_SEPARATOR) if step]
    return [PATH_SEPARATOR.join(steps[: n + 1]) + PATH_SEPARATOR for n in range(len(steps))]


def bump(*, user_ids=(), node_paths=(), unplaced: bool = False) -> None:
    keys = {user_key(user_id) for user_id in user_ids if user_id}
    for path in node_paths:
        if path:
            keys.update(node_key(ancestor) for ancestor in _ancestors(path))
            keys.add(ALL)
    if unplaced:
        keys.add(UNPLACED)
    if keys:
        token = uuid.uuid4().hex
        cache.set_many(dict.fromkeys(keys, token), STAMP_SECONDS)


def _placement(model) -> tuple[str, str] | None:
    """The (person, node path) lookups of a record of this model, None when it has neither."""
    names = {field.name for field in model._meta.get_fields() if field.is_relation and field.many_to_one}
    person = next((name for name in ("owner", "staff", "user") if name in names), None)
    if "org_node" in names:
        return (f"{person}_id" if person else "pk", "org_node__path")
    if person:
        return (f"{person}_id", f"{person}__org_node__path")
    return None


def bump_for_change(*, actor_id, target_type: str, target_id: str) -> None:
    """Bump the stamps of the people a change of this record concerns (see the module's docstring)."""
    users, paths, unplaced = [actor_id], [], False
    model = None
    if target_type and target_id:
        try:
            model = apps.get_model(target_type)
        except (LookupError, ValueError):
            model = None
    if model is not None:
        lookups = _placement(model)
        if lookups is None:
            unplaced = True
        else:
            row = model._base_manager.filter(pk=target_id).values_list(*lookups).first()
            if row is not None:
                person, path = row
                if lookups[0] != "pk":
                    users.append(person)
                paths.append(path)
    elif target_type:
        unplaced = True
    if actor_id and not paths:
        # the actor's node: those overseeing him see what he did to a record of no node
        from amdesk.orgs.models import Staff

        found = Staff.objects.filter(pk=actor_id).values_list("org_node__path", flat=True)
        paths.extend(path for path in found if path)
    bump(user_ids=users, node_paths=paths, unplaced=unplaced)


def audit_entry_written(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of core.AuditEntry: bump the stamps once the change is committed (robust: a failure
    here is logged, never breaks the request that already committed its work)."""
    if not created or raw:
        return
    actor_id, target_type, target_id = instance.actor_id, instance.target_type, instance.target_id
    transaction.on_commit(
        lambda: bump_for_change(actor_id=actor_id, target_type=target_type, target_id=target_id),
        robust=True,
    )
