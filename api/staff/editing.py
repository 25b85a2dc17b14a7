"""Changing sites on behalf of staff: save, archive, restore, mark reviewed.

The pages and the JSON API both go through these functions, so every change is
checked the same way, makes a revision in the store, is written to the audit log,
and asks for the narration of the languages whose script changed to be rebuilt.
"""

import copy
from dataclasses import dataclass
from typing import Any, Literal

from api.staff.audit import Action
from api.staff.auth import StaffServices
from api.staff.sessions import Staff
from api.staff.text import StaffMessageError
from sites_data.files import json_document
from sites_data.jobs import JobKind
from sites_data.schema import LocalizedText, Origin, Site
from sites_data.store import SiteStore, StoredSite, changed_fields

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


def narration_changed(before: Site, after: Site) -> list[str]:
    """The languages whose narration script is new or different."""
    return [
        lang
        for lang, text in after.narration.items()
        if lang not in before.narration or before.narration[lang].text != text.text
    ]


def _after_content_change(
    services: StaffServices, staff: Staff, before: Site, saved: StoredSite
) -> list[str]:
    """Ask for the changed narration to be rebuilt; the fields that changed, for the log."""
    for lang in narration_changed(before, saved.site):
        services.jobs.enqueue(JobKind.NARRATION, saved.site.key, lang, staff.username)
    return [
        change["field"]
        for change in changed_fields(json_document(before), json_document(saved.site))
    ]


def save_site(
    services: StaffServices,
    store: SiteStore,
    staff: Staff,
    site: Site,
    based_on: int,
    address: str | None = None,
) -> StoredSite:
    """Save a staff member's version of a site; ``StaleRevision`` if someone saved first.

    Saving a site unchanged makes no revision.
    """
    current = store.get(site.key)
    before = current.site
    if site == before and based_on == current.revision:
        return current
    saved = store.update(stamp_origins(before, site), based_on, staff.username)
    fields = _after_content_change(services, staff, before, saved)
    services.audit.record(
        staff.username,
        Action.SAVE,
        site.key,
        {"revision": saved.revision, "fields": fields},
        address,
    )
    return saved


def set_archived(
    services: StaffServices,
    store: SiteStore,
    staff: Staff,
    key: str,
    archived: bool,
    based_on: int,
    address: str | None = None,
) -> StoredSite:
    """Deleting a site archives it: it leaves the public guide and keeps its history."""
    if store.get(key).archived == archived:
        raise EditRefused("edit_already_archived" if archived else "edit_not_archived", key=key)
    saved = store.set_archived(key, archived, based_on, staff.username)
    action = Action.ARCHIVE if archived else Action.UNARCHIVE
    services.audit.record(staff.username, action, key, {"revision": saved.revision}, address)
    return saved


def restore(
    services: StaffServices,
    store: SiteStore,
    staff: Staff,
    key: str,
    number: int,
    based_on: int,
    address: str | None = None,
) -> StoredSite:
    before = store.get(key).site
    saved = store.restore(key, number, based_on, staff.username)
    fields = _after_content_change(services, staff, before, saved)
    services.audit.record(
        staff.username,
        Action.RESTORE,
        key,
        {"restored": number, "revision": saved.revision, "fields": fields},
        address,
    )
    return saved


def mark_reviewed(
    services: StaffServices,
    store: SiteStore,
    staff: Staff,
    key: str,
    field: TranslatedField,
    lang: str,
    based_on: int,
    address: str | None = None,
) -> StoredSite:
    """A person checked a machine translation and found it right: its origin says so."""
    site = store.get(key).site
    texts: dict[str, LocalizedText] = getattr(site, field)
    text = texts.get(lang)
    if text is None or text.origin != Origin.MACHINE:
        raise EditRefused("edit_not_machine_text", field=f"{field}.{lang}")
    reviewed = {**texts, lang: text.model_copy(update={"origin": Origin.REVIEWED.value})}
    saved = store.update(site.model_copy(update={field: reviewed}), based_on, staff.username)
    services.audit.record(
        staff.username,
        Action.MARK_REVIEWED,
        key,
        {"field": f"{field}.{lang}", "model": text.model, "revision": saved.revision},
        address,
    )
    return saved


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
