"""Settings of the guide, read once per process from the environment (or a ``.env`` file).

Each setting is declared with its default and its help text; the README's table
is checked against these declarations by ``tests/api/test_settings.py``.
"""

import ipaddress
from functools import lru_cache
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from sites_data.job_engine import check_job_url

# The SQLAlchemy drivers in Rasa's own environment (.venv-rasa).
RASA_TRACKER_DRIVERS = ("sqlite", "postgresql", "postgresql+psycopg2")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GUIDE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/guide.db",
        validation_alias=AliasChoices("DATABASE_URL", "GUIDE_DATABASE_URL"),
        description="SQLAlchemy URL of the knowledge base, e.g. "
        "postgresql+psycopg://guide@db-host/guide. The default is a SQLite file under var/.",
    )
    host: str = Field(default="127.0.0.1", description="Address `guide serve` listens on.")
    port: int = Field(default=8000, description="Port `guide serve` listens on.")
    workers: int = Field(
        default=1,
        ge=1,
        description="Processes `guide serve` starts, sharing its port: about one per core. "
        "Past one machine, several `guide serve` behind nginx (`guide deploy nginx`).",
    )
    access_log: bool = Field(
        default=True,
        description="`guide serve` logs every request; off behind nginx, which logs them.",
    )
    rasa_url: str = Field(
        default="http://127.0.0.1:5005",
        description="Base URL of the Rasa server the chat proxy talks to, or of several "
        "separated by commas: each conversation goes to one of them, and to the next when that "
        "one fails. `guide bot rasa` listens on the first one's port.",
    )
    chat_timeout_s: float = Field(
        default=3.0,
        description="Seconds the chat proxy waits for Rasa before answering 503.",
    )
    rasa_host: str = Field(
        default="127.0.0.1",
        description="Address `guide bot rasa` listens on; past one machine, the address the "
        "chat proxy reaches it by.",
    )
    rasa_tracker_url: str = Field(
        default="sqlite:///var/conversations.db",
        description="SQLAlchemy URL of the assistant's conversations (Rasa's SQL tracker "
        "store), so that they survive a restart: a SQLite file under var/ by default, or "
        "postgresql://user:password@db-host/guide to share them between Rasa servers.",
    )
    rasa_lock_store_url: str = Field(
        default="",
        description="Redis that several Rasa servers share as their lock store, so that one "
        "conversation's messages are handled one at a time, in order, whichever server "
        "receives them: redis://[:password@]redis-host:6379/1. Empty: each Rasa server "
        "keeps its locks in memory (one server).",
    )
    rasa_workers: int = Field(
        default=1,
        ge=1,
        description="Processes `guide bot rasa` starts, sharing its port (Rasa's Sanic "
        "workers): about one per core left after the guide's. More than one needs "
        "GUIDE_RASA_LOCK_STORE_URL, so that the workers take one conversation's messages in "
        "turn.",
    )
    action_server_url: str = Field(
        default="http://127.0.0.1:5055",
        description="URL of the assistant's action server: where Rasa calls it, and the port "
        "`guide bot actions` listens on.",
    )
    action_server_host: str = Field(
        default="127.0.0.1",
        description="Address `guide bot actions` listens on; past one machine, the address "
        "Rasa reaches it by.",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The address visitors use to reach the guide (for links and QR codes).",
    )
    map_tile_url: str = Field(
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description="Map tiles of the map page and of the offline tour packs: a URL template "
        "with {z}, {x} and {y}, of a server that answers CORS requests (OpenStreetMap's does). "
        "Past one machine, a tile server or cache of your own.",
    )
    map_tile_attribution: str = Field(
        default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
        "contributors",
        min_length=1,
        description="The credit the tiles' licence asks for, shown in the map's corner (HTML).",
    )
    # Narration (narration/): where the audio lives and which models translate and speak.
    audio_dir: str = Field(
        default="var/audio",
        description="Folder of the narration audio files, relative to the working directory; "
        "several servers may share it.",
    )
    cache_dir: str = Field(
        default="var/cache",
        description="Folder of files the guide makes once and keeps (the printable QR "
        "posters), relative to the working directory; safe to empty at any time.",
    )
    mt_model: str = Field(
        default="facebook/m2m100_418M",
        description="Translation model: a Hugging Face name or a local folder, a template "
        "with {src} and {tgt}, or a table per language pair such as "
        "'en-fr=/models/opus-mt-en-fr,en-de=Helsinki-NLP/opus-mt-en-de'.",
    )
    mt_backend: Literal["transformers", "ctranslate2"] = Field(
        default="transformers",
        description="Runs the translation model with transformers, or converts it once to "
        "CTranslate2 (under the audio folder) and runs it there, faster.",
    )
    mms_model: str = Field(
        default="facebook/mms-tts-{iso3}",
        description="MMS speech model per language: a template with {iso3} (the ISO 639-3 "
        "code), or a table such as 'vi=/models/mms-tts-vie,en=facebook/mms-tts-eng'.",
    )

    # Background jobs (narration and translation): huey, sites_data/jobs.py.
    jobs_url: str = Field(
        default="sqlite:///var/jobs.db",
        description="Queue of the background jobs: a SQLite file on one machine "
        "(sqlite:///var/jobs.db, relative to the working directory), or Redis "
        "(redis://redis-host:6379/0) when the guide and its workers run on several machines.",
    )
    job_attempts: int = Field(
        default=3, ge=1, description="Attempts at a background job before it counts as failed."
    )
    job_retry_delay_s: float = Field(
        default=30.0,
        gt=0,
        description="Seconds before a failed job's first retry; doubled before each next one.",
    )
    job_lease_s: float = Field(
        default=60.0,
        gt=0,
        description="Seconds a running job's worker may go silent (it beats every quarter of "
        "this) before the job counts as abandoned and is queued again for another worker.",
    )

    # Staff CMS
    behind_https: bool = Field(
        default=False,
        description="The guide is served over HTTPS (e.g. behind a TLS proxy): staff session "
        "cookies are then marked Secure even when the proxy talks plain HTTP to the guide.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Addresses or networks (CIDR) of the reverse proxies in front of the guide, "
        "separated by commas, e.g. '127.0.0.1,10.0.0.0/8'. Only a request coming straight from "
        "one of them has its X-Forwarded-For (the visitor's address, used by the sign-in limits) "
        "and X-Forwarded-Proto believed. Empty: no forwarded header is believed.",
    )
    staff_session_hours: float = Field(
        default=12.0, gt=0, description="Hours a staff sign-in lasts before signing in again."
    )
    recording_max_mb: float = Field(
        default=20.0, gt=0, description="Largest human narration recording staff may upload, in MB."
    )
    photo_dir: str = Field(
        default="var/photos",
        description="Folder of the sites' photos (every size made of each upload), relative to "
        "the working directory; several servers may share it.",
    )
    photo_max_mb: float = Field(
        default=30.0, gt=0, description="Largest photo file staff may upload, in MB."
    )
    photo_max_megapixels: float = Field(
        default=64.0,
        gt=0,
        description="Most pixels a photo may have (width × height, in millions), checked "
        "before it is decoded; 64 takes a 360° panorama of 11 300 × 5 650.",
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        for entry in _entries(value):
            try:
                ipaddress.ip_network(entry)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network; list the proxies' addresses "
                    "(such as 10.0.0.7) or networks (such as 10.0.0.0/8), separated by commas"
                ) from None
        return value

    @field_validator("rasa_url")
    @classmethod
    def _rasa_urls_are_web_addresses(cls, value: str) -> str:
        urls = _entries(value)
        if not urls:
            raise ValueError("name at least one Rasa server, e.g. http://127.0.0.1:5005")
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise ValueError(
                    f"{url!r} is not the address of a Rasa server; write its base URL, such "
                    "as http://10.0.0.5:5005, several separated by commas"
                )
        return value

    @field_validator("rasa_lock_store_url")
    @classmethod
    def _lock_store_is_redis(cls, value: str) -> str:
        parts = urlsplit(value)
        if value and (parts.scheme != "redis" or not parts.hostname):
            raise ValueError(
                f"{value!r} is not a Redis server; write redis://redis-host:6379/1 "
                "(or nothing, for one Rasa server)"
            )
        return value

    @model_validator(mode="after")
    def _rasa_workers_share_a_lock_store(self) -> Self:
        if self.rasa_workers > 1 and not self.rasa_lock_store_url:
            raise ValueError(
                f"GUIDE_RASA_WORKERS={self.rasa_workers} needs GUIDE_RASA_LOCK_STORE_URL "
                "(redis://127.0.0.1:6379/1 on one machine), so that Rasa's workers take one "
                "conversation's messages in turn; or set GUIDE_RASA_WORKERS=1"
            )
        return self

    @field_validator("jobs_url")
    @classmethod
    def _jobs_url_names_a_queue(cls, value: str) -> str:
        return check_job_url(value)

    @field_validator("rasa_tracker_url")
    @classmethod
    def _rasa_can_open_the_tracker_store(cls, value: str) -> str:
        try:
            driver = make_url(value).drivername
        except ArgumentError:
            driver = ""
        if driver not in RASA_TRACKER_DRIVERS:
            raise ValueError(
                f"{value!r} is not a database Rasa can keep conversations in; write a "
                "SQLite file (sqlite:///var/conversations.db) or a PostgreSQL URL "
                "(postgresql://user:password@db-host/guide, Rasa's driver psycopg2)"
            )
        return value

    @field_validator("map_tile_url")
    @classmethod
    def _tiles_are_a_template(cls, value: str) -> str:
        parsed = urlsplit(value)
        missing = [part for part in ("{z}", "{x}", "{y}") if part not in value]
        if parsed.scheme not in ("http", "https") or not parsed.netloc or missing:
            raise ValueError(
                f"{value!r} is not a tile URL template; write an http(s) URL with {{z}}, {{x}} "
                "and {y}, such as https://tile.openstreetmap.org/{z}/{x}/{y}.png"
            )
        return value

    @property
    def map_tile_origin(self) -> str:
        """The scheme and host of the tile server, as a Content-Security-Policy names it."""
        parsed = urlsplit(self.map_tile_url)
        return f"{parsed.scheme}://{parsed.netloc}"

    @property
    def rasa_urls(self) -> list[str]:
        return [url.rstrip("/") for url in _entries(self.rasa_url)]

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _entries(self.trusted_proxies)


def _entries(comma_separated: str) -> list[str]:
    return [entry.strip() for entry in comma_separated.split(",") if entry.strip()]


def environment_name(field_name: str) -> str:
    """The environment variable a person sets for a setting."""
    alias = Settings.model_fields[field_name].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"GUIDE_{field_name.upper()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
