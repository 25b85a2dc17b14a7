"""The store on real databases (SQLite and PostgreSQL): revisions and stale edits."""

import pytest
from sqlalchemy import Engine

from sites_data.db import Database
from sites_data.store import SiteExists, SiteStore, StaleRevision, UnknownSite
from tests.factories import make_site


def test_every_change_makes_a_revision_with_who_when_what(store: SiteStore) -> None:
    created = store.create(make_site(), author="lan")
    renamed = make_site(names={**make_site().names, "en": "Renamed Tower"})
    updated = store.update(renamed, based_on=created.revision, author="minh")

    assert (created.revision, updated.revision) == (1, 2)
    history = store.revisions("test-tower")
    assert [(r.number, r.action, r.author) for r in history] == [
        (1, "create", "lan"),
        (2, "update", "minh"),
    ]
    assert history[1].changes == [
        {"field": "names.en", "before": "Test Tower", "after": "Renamed Tower"}
    ]
    assert history[1].created_at >= history[0].created_at
    assert store.get("test-tower").site.names["en"] == "Renamed Tower"


def test_a_change_based_on_a_stale_revision_is_refused(store: SiteStore) -> None:
    store.create(make_site(), author="lan")
    store.update(make_site(category="museum"), based_on=1, author="lan")

    with pytest.raises(StaleRevision) as refused:
        store.update(make_site(category="pagoda"), based_on=1, author="minh")

    assert refused.value.current.revision == 2
    assert refused.value.current.site.category == "museum"
    assert store.get("test-tower").site.category == "museum"
    assert len(store.revisions("test-tower")) == 2


def test_two_processes_saving_the_same_revision_cannot_both_win(engine: Engine) -> None:
    first, second = SiteStore(Database(engine)), SiteStore(Database(engine))
    first.create(make_site(), author="setup")
    first.update(make_site(category="museum"), based_on=1, author="lan")
    with pytest.raises(StaleRevision):
        second.update(make_site(category="pagoda"), based_on=1, author="minh")
    assert [r.author for r in second.revisions("test-tower")] == ["setup", "lan"]


def test_archive_hides_from_the_public_and_restore_brings_back_content(store: SiteStore) -> None:
    store.create(make_site(), author="lan")
    store.update(make_site(category="museum"), based_on=1, author="lan")
    archived = store.set_archived("test-tower", True, based_on=2, author="admin")

    assert archived.archived
    assert "test-tower" not in store.catalogue().sites
    assert [s.site.key for s in store.sites(include_archived=True)] == ["test-tower"]

    store.set_archived("test-tower", False, based_on=3, author="admin")
    restored = store.restore("test-tower", number=1, based_on=4, author="admin")
    assert restored.revision == 5
    assert restored.site.category == "cham_tower"
    assert store.revisions("test-tower")[-1].action == "restore 1"
    assert store.catalogue().sites["test-tower"].category == "cham_tower"


def test_unknown_and_duplicate_keys_are_refused(store: SiteStore) -> None:
    store.create(make_site(), author="lan")
    with pytest.raises(SiteExists):
        store.create(make_site(), author="lan")
    with pytest.raises(UnknownSite):
        store.get("nowhere")
    with pytest.raises(UnknownSite):
        store.update(make_site("nowhere"), based_on=1, author="lan")


def test_loading_files_keeps_staff_edits_and_reports_conflicts(store: SiteStore) -> None:
    assert store.load([make_site()]).created == ["test-tower"]
    staff_edit = make_site(names={**make_site().names, "de": "Prüfturm"})
    store.update(staff_edit, based_on=1, author="lan")

    assert store.load([make_site()]).unchanged == ["test-tower"]
    assert store.get("test-tower").site.names["de"] == "Prüfturm"

    changed_file = make_site(category="museum")
    assert store.load([changed_file]).conflicts == ["test-tower"]
    assert store.get("test-tower").site.category == "cham_tower"

    assert store.load([changed_file], overwrite=True).updated == ["test-tower"]
    assert store.get("test-tower").site.category == "museum"


def test_a_changed_file_updates_a_site_nobody_edited(store: SiteStore) -> None:
    store.load([make_site()])
    report = store.load([make_site(category="museum")])
    assert report.updated == ["test-tower"]
    assert store.revisions("test-tower")[-1].author == "site files"


def test_the_catalogue_sees_changes_made_by_another_process(engine: Engine) -> None:
    reader, writer = SiteStore(Database(engine)), SiteStore(Database(engine))
    writer.create(make_site(), author="lan")
    assert reader.catalogue().sites["test-tower"].category == "cham_tower"
    writer.update(make_site(category="museum"), based_on=1, author="lan")
    assert reader.catalogue().sites["test-tower"].category == "museum"
