"""What one guide process shares: one database (one engine, one session factory) and the
stores, logs and queues on it, built once from the settings by ``create_app``."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from api.play_limits import PlayLimiter
from api.poster_cache import PosterCache
from api.public_cache import ContentRevision, PublicAnswers
from api.settings import Settings
from api.staff.accounts import StaffAccounts
from api.staff.audit import AuditLog
from api.staff.limits import LoginLimiter, LoginLimits
from api.staff.sessions import StaffSessions
from maps.build import TileServer
from maps.pages import MapPages
from maps.tours import read_tours
from narration.service import Narration
from sites_data.activity import ActivityLog
from sites_data.db import Database, ready_database
from sites_data.jobs import JobQueue, open_job_queue, site_store
from sites_data.store import SiteStore

if TYPE_CHECKING:
    # api.photos refuses uploads as the staff side does (api.staff.auth), which needs Services.
    from api.photos import PhotoLibrary


@dataclass(frozen=True)
class Services:
    settings: Settings
    database: Database
    store: SiteStore
    jobs: JobQueue
    activity: ActivityLog
    audit: AuditLog
    accounts: StaffAccounts
    sessions: StaffSessions
    limiter: LoginLimiter
    narration: Narration
    map_pages: MapPages
    posters: PosterCache
    play_limiter: PlayLimiter
    photos: "PhotoLibrary"
    public_answers: PublicAnswers

    @classmethod
    def open(cls, settings: Settings) -> "Services":
        """The services on the configured database, which must be set up."""
        from api.photos import PhotoLibrary

        database = ready_database(settings.database_url)
        jobs = open_job_queue(database, settings)
        store = site_store(database, jobs)
        revision = ContentRevision(database)
        store.listen(revision.heard)
        return cls(
            settings=settings,
            database=database,
            store=store,
            jobs=jobs,
            activity=ActivityLog(database),
            audit=AuditLog(database),
            accounts=StaffAccounts(database),
            sessions=StaffSessions(database, timedelta(hours=settings.staff_session_hours)),
            limiter=LoginLimiter(database, LoginLimits()),
            narration=Narration.load(settings, store),
            map_pages=MapPages(
                read_tours(),
                tiles=TileServer(settings.map_tile_url, settings.map_tile_attribution),
            ),
            posters=PosterCache(Path(settings.cache_dir), Path(settings.photo_dir)),
            play_limiter=PlayLimiter(),
            photos=PhotoLibrary(Path(settings.photo_dir)),
            public_answers=PublicAnswers(revision, settings.map_tile_origin),
        )
