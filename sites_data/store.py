"""The site store: current sites, their full revision history, and optimistic locking.

Every change makes a revision (who, when, which fields). A change must say which
revision it was based on; when someone else saved in between, it is refused with
``StaleRevision`` instead of silently overwriting their work.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sites_data.db import Database, RevisionRow, SiteRow, utcnow
from sites_data.files import document_digest, json_document
from sites_data.schema import Site
from sites_data.search import SearchHit, SearchIndex, nearby, place_names

FILES_AUTHOR = "site files"


class UnknownSite(LookupError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"no site has the key {key!r}")


class UnknownRevision(LookupError):
    def __init__(self, key: str, number: int) -> None:
        self.key = key
        self.number = number
        super().__init__(f"site {key!r} has no revision {number}")


class SiteExists(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"a site with the key {key!r} already exists")


class StaleRevision(Exception):
    """The change was based on a revision that is no longer the current one."""

    def __init__(self, key: str, based_on: int, current: "StoredSite") -> None:
        self.key = key
        self.based_on = based_on
        self.current = current
        super().__init__(
            f"site {key!r} was changed since revision {based_on} (it is now at revision "
            f"{current.revision}); reload it and apply your change again"
        )


@dataclass(frozen=True)
class StoredSite:
    site: Site
    revision: int
    archived: bool
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class SiteChanged:
    """A new revision of a site, heard by the store's listeners inside the transaction that
    makes it: what they do commits with the revision or not at all."""

    key: str
    revision: int
    action: str
    author: str
    before: Site | None  # None for a new site
    after: Site


SiteListener = Callable[[SiteChanged], None]


@dataclass(frozen=True)
class Revision:
    number: int
    action: str
    author: str
    created_at: datetime
    changes: list[dict[str, Any]]
    site: Site


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Catalogue:
    """The public (not archived) sites at one moment, with their search index."""

    sites: dict[str, Site]
    index: SearchIndex

    def search(self, query: str, limit: int = 10) -> list[tuple[Site, SearchHit]]:
        return [(self.sites[hit.key], hit) for hit in self.index.search(query, limit)]

    @cached_property
    def place_names(self) -> dict[str, frozenset[str]]:
        """Names of the sites and their towns, folded, with the languages each is a name in
        (see ``search.place_names``)."""
        return place_names(self.sites.values())

    def nearby(self, lat: float, lon: float, radius_km: float) -> list[tuple[Site, float]]:
        return nearby(self.sites.values(), lat, lon, radius_km)


def changed_fields(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """The fields that differ between two documents, as ``{"field", "before", "after"}``."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for name in [*before, *(name for name in after if name not in before)]:
            child = f"{path}.{name}" if path else str(name)
            changes.extend(changed_fields(before.get(name), after.get(name), child))
        return changes
    if before == after:
        return []
    return [{"field": path, "before": before, "after": after}]


def _stored(row: SiteRow) -> StoredSite:
    return StoredSite(
        site=Site.model_validate(row.document),
        revision=row.revision,
        archived=row.archived,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


class SiteStore:
    def __init__(self, database: Database, listeners: Sequence[SiteListener] = ()) -> None:
        """``listeners`` hear of every change (see ``SiteChanged``)."""
        self.database = database
        self._listeners = tuple(listeners)
        self._catalogue: tuple[tuple[int, int | None], Catalogue] | None = None

    def listen(self, listener: SiteListener) -> None:
        """Add a listener to those given at construction."""
        self._listeners = (*self._listeners, listener)

    def get(self, key: str) -> StoredSite:
        with self.database.reading() as session:
            row = session.get(SiteRow, key)
            if row is None:
                raise UnknownSite(key)
            return _stored(row)

    def sites(self, include_archived: bool = False) -> list[StoredSite]:
        query = select(SiteRow).order_by(SiteRow.key)
        if not include_archived:
            query = query.where(SiteRow.archived.is_(False))
        with self.database.reading() as session:
            return [_stored(row) for row in session.scalars(query)]

    def revisions(self, key: str) -> list[Revision]:
        query = select(RevisionRow).where(RevisionRow.site_key == key).order_by(RevisionRow.number)
        with self.database.reading() as session:
            rows = list(session.scalars(query))
        if not rows:
            raise UnknownSite(key)
        return [
            Revision(
                number=row.number,
                action=row.action,
                author=row.author,
                created_at=row.created_at,
                changes=row.changes,
                site=Site.model_validate(row.document),
            )
            for row in rows
        ]

    def create(self, site: Site, author: str) -> StoredSite:
        with self.database.transaction() as session:
            if session.get(SiteRow, site.key) is not None:
                raise SiteExists(site.key)
            row = self._insert(session, site, author)
        return _stored(row)

    def update(self, site: Site, based_on: int, author: str, action: str = "update") -> StoredSite:
        """Save a new version of ``site``; refused if ``based_on`` is not the current revision.

        ``action`` names the kind of change in the revision (``photo_add``…)."""
        with self.database.transaction() as session:
            row = self._save(session, site.key, based_on, author, action, document=site)
        return _stored(row)

    def set_archived(self, key: str, archived: bool, based_on: int, author: str) -> StoredSite:
        """Archive a site (it leaves the public guide, its history stays) or bring it back."""
        action = "archive" if archived else "unarchive"
        with self.database.transaction() as session:
            row = self._save(session, key, based_on, author, action, archived=archived)
        return _stored(row)

    def restore(self, key: str, number: int, based_on: int, author: str) -> StoredSite:
        """Make an earlier revision's content current again, as a new revision."""
        with self.database.transaction() as session:
            old = session.scalar(
                select(RevisionRow).where(RevisionRow.site_key == key, RevisionRow.number == number)
            )
            if old is None:
                raise UnknownRevision(key, number)
            site = Site.model_validate(old.document)
            row = self._save(session, key, based_on, author, f"restore {number}", document=site)
        return _stored(row)

    def load(self, sites: Iterable[Site], overwrite: bool = False) -> LoadReport:
        """Import curated site files in one transaction.

        A file that has not changed since it was last loaded leaves the site alone, so
        staff edits made in the database survive. A file that changed while staff also
        edited the site is a conflict: the site is kept as it is in the database and
        reported, unless ``overwrite`` is set.
        """
        report = LoadReport()
        with self.database.transaction() as session:
            for site in sites:
                digest = document_digest(site)
                row = session.get(SiteRow, site.key)
                if row is None:
                    row = self._insert(session, site, FILES_AUTHOR)
                    report.created.append(site.key)
                elif row.file_digest == digest:
                    report.unchanged.append(site.key)
                    continue
                elif json_document(site) == row.document:
                    report.unchanged.append(site.key)
                elif row.file_revision == row.revision or overwrite:
                    row = self._save(session, site.key, row.revision, FILES_AUTHOR, "load", site)
                    report.updated.append(site.key)
                else:
                    report.conflicts.append(site.key)
                    continue
                row.file_digest = digest
                row.file_revision = row.revision
        return report

    def catalogue(self) -> Catalogue:
        """The public sites and their search index, rebuilt only after a change anywhere."""
        with self.database.reading() as session:
            stamp = session.execute(
                select(func.count(RevisionRow.id), func.max(RevisionRow.id))
            ).one()
            stamp_key = (int(stamp[0]), stamp[1])
            if self._catalogue is not None and self._catalogue[0] == stamp_key:
                return self._catalogue[1]
            rows = session.scalars(select(SiteRow).where(SiteRow.archived.is_(False)))
            sites = {row.key: Site.model_validate(row.document) for row in rows}
        catalogue = Catalogue(sites=sites, index=SearchIndex(sites.values()))
        self._catalogue = (stamp_key, catalogue)
        return catalogue

    def _insert(self, session: Session, site: Site, author: str) -> SiteRow:
        now = utcnow()
        document = json_document(site)
        row = SiteRow(
            key=site.key,
            revision=1,
            category=site.category,
            lat=site.location.lat,
            lon=site.location.lon,
            document=document,
            archived=False,
            updated_at=now,
            updated_by=author,
        )
        session.add(row)
        session.flush()  # the site row must exist before its first revision refers to it
        session.add(
            RevisionRow(
                site_key=site.key,
                number=1,
                action="create",
                author=author,
                created_at=now,
                changes=changed_fields({}, document),
                document=document,
            )
        )
        session.flush()
        self._tell(SiteChanged(site.key, 1, "create", author, None, site))
        return row

    def _save(
        self,
        session: Session,
        key: str,
        based_on: int,
        author: str,
        action: str,
        document: Site | None = None,
        archived: bool | None = None,
    ) -> SiteRow:
        row = session.get(SiteRow, key)
        if row is None:
            raise UnknownSite(key)
        if row.revision != based_on:
            raise StaleRevision(key, based_on, _stored(row))
        before = {"document": row.document, "archived": row.archived}
        values: dict[str, Any] = {
            "revision": based_on + 1,
            "updated_at": utcnow(),
            "updated_by": author,
        }
        if document is not None:
            values |= {
                "document": json_document(document),
                "category": document.category,
                "lat": document.location.lat,
                "lon": document.location.lon,
            }
        if archived is not None:
            values["archived"] = archived
        # The revision test in the WHERE clause makes two concurrent saves of the same
        # revision safe across processes: only one of them matches a row.
        result = session.execute(
            update(SiteRow)
            .where(SiteRow.key == key, SiteRow.revision == based_on)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            session.expire(row)
            raise StaleRevision(key, based_on, _stored(row))
        session.refresh(row)
        after = {"document": row.document, "archived": row.archived}
        session.add(
            RevisionRow(
                site_key=key,
                number=row.revision,
                action=action,
                author=author,
                created_at=row.updated_at,
                changes=changed_fields(before["document"], after["document"])
                + changed_fields({"archived": before["archived"]}, {"archived": after["archived"]}),
                document=row.document,
            )
        )
        session.flush()
        previous = Site.model_validate(before["document"])
        after_site = document if document is not None else previous
        self._tell(SiteChanged(key, row.revision, action, author, previous, after_site))
        return row

    def _tell(self, change: SiteChanged) -> None:
        for listener in self._listeners:
            listener(change)
