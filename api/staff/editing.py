"""Changing sites on behalf of staff: save, archive, restore, mark reviewed, queue drafts.

The pages and the JSON API both go through these functions, so every change is checked
the same way. Each is one transaction: the revision, its audit entry and the narration
rebuilds it queues (the store's listeners hear of the change) commit together or not at all.
"""

import copy
from dataclasses import dataclass
from typing import Any, Literal

from api.services import Services
from api.staff.audit import Action, Actor
from api.staff.text import StaffMessageError
from narration.translation.drafts import languages_to_draft
from sites_data.files import json_document
from sites_data.jobs import JobKind
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import LocalizedText, Origin, Site
from sites_data.store import StoredSite, changed_fields

# The texts staff mark reviewed one by one; the short ones (notes) are reviewed by editing.
TranslatedField = Literal["address", "description", "narration", "notes"]


class EditRefused(StaffMessageError, ValueError):
    """A change that makes no sense for this site; the message says why."""


def _texts_at(document: dict[str, Any], path: str) -> dict[str, Any]:
    """The per-language texts at a field path such as ``tickets.prices.0.note``."""
    node: Any = document
    for part in path.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    texts: dict[str, Any] = node
    return texts


def stamp_origins(before: Site, after: Site) -> Site:
    """Machine text that a person changed is no longer machine text: it becomes ``reviewed``."""
    old_fields = dict(before.localized_fields())
    document = after.model_dump(mode="python")
    stamped = False
    for path, texts in after.localized_fields():
        old_texts = old_fields.get(path, {})
        for lang, text in texts.items():
            if (
                text.origin == Origin.MACHINE
                and lang in old_texts
                and old_texts[lang].text != text.text
            ):
                _texts_at(document, path)[lang]["origin"] = Origin.REVIEWED.value
                stamped = True
    return Site.model_validate(document) if stamped else after


def _changed_fields(before: Site, after: Site) -> list[str]:
    """The fields a change touched, for the audit log."""
    return [
        change["field"] for change in changed_fields(json_document(before), json_document(after))
    ]


def save_site(services: Services, actor: Actor, site: Site, based_on: int) -> StoredSite:
    """Save a staff member's version of a site; ``StaleRevision`` if someone saved first.

    Saving a site unchanged makes no revision.
    """
    with services.database.transaction():
        current = services.store.get(site.key)
        before = current.site
        if site == before and based_on == current.revision:
            return current
        saved = services.store.update(stamp_origins(before, site), based_on, actor.username)
        fields = _changed_fields(before, saved.site)
        details = {"revision": saved.revision, "fields": fields}
        services.audit.record(actor, Action.SAVE, site.key, details)
    return saved


def set_archived(
    services: Services, actor: Actor, key: str, archived: bool, based_on: int
) -> StoredSite:
    """Deleting a site archives it: it leaves the public guide and keeps its history."""
    with services.database.transaction():
        if services.store.get(key).archived == archived:
            raise EditRefused("edit_already_archived" if archived else "edit_not_archived", key=key)
        saved = services.store.set_archived(key, archived, based_on, actor.username)
        action = Action.ARCHIVE if archived else Action.UNARCHIVE
        services.audit.record(actor, action, key, {"revision": saved.revision})
    return saved


def restore(services: Services, actor: Actor, key: str, number: int, based_on: int) -> StoredSite:
    """Make an earlier revision's content current again, as a new revision."""
    with services.database.transaction():
        before = services.store.get(key).site
        saved = services.store.restore(key, number, based_on, actor.username)
        fields = _changed_fields(before, saved.site)
        details = {"restored": number, "revision": saved.revision, "fields": fields}
        services.audit.record(actor, Action.RESTORE, key, details)
    return saved


def mark_reviewed(
    services: Services,
    actor: Actor,
    key: str,
    field: TranslatedField,
    lang: str,
    based_on: int,
) -> StoredSite:
    """A person checked a machine translation and found it right: its origin says so."""
    with services.database.transaction():
        site = services.store.get(key).site
        texts: dict[str, LocalizedText] = getattr(site, field)
        text = texts.get(lang)
        if text is None or text.origin != Origin.MACHINE:
            raise EditRefused("edit_not_machine_text", field=f"{field}.{lang}")
        reviewed = {**texts, lang: text.model_copy(update={"origin": Origin.REVIEWED.value})}
        updated = site.model_copy(update={field: reviewed})
        saved = services.store.update(updated, based_on, actor.username)
        details = {"field": f"{field}.{lang}", "model": text.model, "revision": saved.revision}
        services.audit.record(actor, Action.MARK_REVIEWED, key, details)
    return saved


@dataclass(frozen=True)
class QueuedDrafts:
    """What "translate the missing languages" asked for: a translation job per language
    whose texts a draft may change; the others keep their person's texts."""

    site_key: str
    queued: list[str]
    kept: list[str]


def queue_machine_drafts(services: Services, actor: Actor, key: str) -> QueuedDrafts:
    """Queue the machine translation of every language the site lacks (never over a
    person's text); the worker drafts them, and each draft queues its narration in turn.

    Raises ``UnknownSite``."""
    with services.database.transaction():
        site = services.store.get(key).site
        queued = languages_to_draft(site, list(LANGUAGE_CODES))
        for lang in queued:
            services.jobs.enqueue(JobKind.TRANSLATION, key, lang, actor.username)
        kept = [lang for lang in LANGUAGE_CODES if lang not in queued]
        services.audit.record(actor, Action.MACHINE_DRAFTS, key, {"queued": queued, "kept": kept})
    return QueuedDrafts(key, queued, kept)


@dataclass(frozen=True)
class FieldVersions:
    """One field a staff member changed, as it was, as they wrote it, and as it is now."""

    field: str
    base: Any
    yours: Any
    theirs: Any

    @property
    def they_changed_it(self) -> bool:
        return bool(self.theirs != self.base)


def _set_path(document: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    chain = [document]
    for name in parents:
        chain.append(chain[-1].setdefault(name, {}))
    if value is None:
        chain[-1].pop(leaf, None)
        # A removed text leaves no empty mapping behind.
        for holder, name in zip(reversed(chain[:-1]), reversed(parents), strict=True):
            if holder[name] == {}:
                del holder[name]
    else:
        chain[-1][leaf] = value


def _get_path(document: dict[str, Any], path: str) -> Any:
    value: Any = document
    for name in path.split("."):
        value = value.get(name) if isinstance(value, dict) else None
    return value


def rebase(
    base: dict[str, Any], yours: dict[str, Any], theirs: dict[str, Any]
) -> tuple[dict[str, Any], list[FieldVersions]]:
    """Your changes (from ``base``) applied to the current version, and each field side by side."""
    rebased = copy.deepcopy(theirs)
    versions = []
    for change in changed_fields(base, yours):
        _set_path(rebased, change["field"], change["after"])
        versions.append(
            FieldVersions(
                field=change["field"],
                base=change["before"],
                yours=change["after"],
                theirs=_get_path(theirs, change["field"]),
            )
        )
    return rebased, versions
