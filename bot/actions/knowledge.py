"""The knowledge base as the actions see it: one per process, read off the event loop.

The action server's workers are separate processes that Sanic starts; each opens its
knowledge base once, from the database URL ``guide bot actions`` hands to it
(``bot.action_server``). Every answer reads the current catalogue, so staff edits are seen
at once; the reads run in a worker thread, so one slow query does not hold up the other
conversations the process is serving.
"""

import asyncio
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import yaml

from bot.actions.mentions import Kind, NameFinder
from sites_data.activity import ActivityLog, Counted, Unanswered
from sites_data.db import Database
from sites_data.store import Catalogue, SiteStore
from sites_data.textnorm import fold

# The training phrases ship inside the package (pyproject.toml's package data).
NLU_DIR: Traversable = files("bot").joinpath("data", "nlu")
_ENTITY_MARKUP = re.compile(r"\[[^\]]*\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class KnowledgeBase:
    database: Database
    store: SiteStore
    activity: ActivityLog

    @classmethod
    def open(cls, database_url: str) -> "KnowledgeBase":
        database = Database.open(database_url)
        return cls(database, SiteStore(database), ActivityLog(database))


# The process's knowledge base: set once by open_knowledge_base, read by every action.
_process_knowledge_base: KnowledgeBase | None = None


def open_knowledge_base(database_url: str) -> KnowledgeBase:
    """Open the knowledge base this process's actions answer from (closing any before it)."""
    global _process_knowledge_base
    close_knowledge_base()
    _process_knowledge_base = KnowledgeBase.open(database_url)
    return _process_knowledge_base


def close_knowledge_base() -> None:
    global _process_knowledge_base
    if _process_knowledge_base is not None:
        _process_knowledge_base.database.dispose()
        _process_knowledge_base = None


def knowledge_base() -> KnowledgeBase:
    if _process_knowledge_base is None:
        raise RuntimeError(
            "the actions have no knowledge base: `guide bot actions` opens one in each "
            "action server process (bot/action_server.py)"
        )
    return _process_knowledge_base


async def catalogue() -> Catalogue:
    """The current sites and their search index."""
    return await asyncio.to_thread(knowledge_base().store.catalogue)


async def count(what: Counted, lang: str) -> None:
    await asyncio.to_thread(knowledge_base().activity.count, what, lang)


async def record_unanswered(
    question: str, lang: str, reason: Unanswered, sender: str, site: str | None
) -> None:
    await asyncio.to_thread(
        knowledge_base().activity.record_unanswered, question, lang, reason, sender, site
    )


def name_finder(catalogue: Catalogue) -> NameFinder:
    """The name finder for this catalogue's sites (rebuilt when the catalogue changes)."""
    global _finder
    if _finder is None or _finder[0] is not catalogue:
        _finder = (catalogue, NameFinder(catalogue.sites.values(), ordinary_words()))
    return _finder[1]


_finder: tuple[Catalogue, NameFinder] | None = None


def resolve_site(catalogue: Catalogue, named: Sequence[str], message: str) -> str | None:
    """The key of the site the visitor named, if any.

    ``named`` are the site entities the NLU found (a key once synonyms are mapped, or
    the words as typed); without them, the first site the message names as tourists write
    names (``mentions``).
    """
    for value in named:
        if value in catalogue.sites:
            return value
        hits = catalogue.search(value, limit=1)
        if hits:
            return hits[0][0].key
    return name_finder(catalogue).first(message, Kind.SITE)


@cache
def ordinary_words() -> frozenset[str]:
    """The words of the training phrases, place names taken out: a misspelt name is none."""
    words: set[str] = set()
    for path in _nlu_files():
        for block in yaml.safe_load(path.read_text("utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                words.update(fold(_ENTITY_MARKUP.sub(" ", line.removeprefix("- "))).split())
    return frozenset(words)


def _nlu_files() -> Iterator[Traversable]:
    for language in NLU_DIR.iterdir():
        if language.is_dir():
            yield from (path for path in language.iterdir() if path.name.endswith(".yml"))
