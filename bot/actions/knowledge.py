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
from rapidfuzz import fuzz

from sites_data.activity import ActivityLog, Counted, Unanswered
from sites_data.db import Database
from sites_data.schema import Site
from sites_data.store import Catalogue, SiteStore
from sites_data.textnorm import fold

# Messages of these intents may name a site; a greeting that looks like a name does not.
SITE_INTENTS = frozenset(
    {
        "ask_about",
        "ask_history",
        "ask_hours",
        "ask_tickets",
        "ask_directions",
        "ask_nearby",
        "play_narration",
        "inform",
        "recommend",
        "plan_day",
        "ask_festivals",
    }
)
# The training phrases ship inside the package (pyproject.toml's package data).
NLU_DIR: Traversable = files("bot").joinpath("data", "nlu")
_ENTITY_MARKUP = re.compile(r"\[[^\]]*\](?:\([^)]*\)|\{[^}]*\})")
# A misspelt place name is looked for in runs of up to this many words of the message.
MAX_NAME_WORDS = 6
# Shorter runs ("the", "cua") match too many names by accident.
MIN_RUN_CHARACTERS = 4
# Sites the knowledge-base search proposes for a run of words, checked one by one.
CANDIDATES = 3
# How close a run of words must be to the whole of a name (rapidfuzz ratio, 0–100).
MIN_NAME_SIMILARITY = 85.0


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


def resolve_site(
    catalogue: Catalogue, named: Sequence[str], message: str, intent: str
) -> str | None:
    """The key of the site the visitor named, if any.

    ``named`` are the site entities the NLU found (a key once synonyms are mapped, or
    the words as typed). Without them, a message that may name a site (by its intent)
    is searched for a misspelt name.
    """
    for value in named:
        if value in catalogue.sites:
            return value
        hits = catalogue.search(value, limit=1)
        if hits:
            return hits[0][0].key
    if intent not in SITE_INTENTS:
        return None
    return _misspelt_site(catalogue, message)


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


def _misspelt_site(catalogue: Catalogue, message: str) -> str | None:
    """The site whose name is closest to a run of the message's words.

    A run made only of ordinary words ("chào bạn", "these towers") is never taken for a
    name, however close it is to one ("Chà Bàn", "Three Towers").
    """
    words = fold(message).split()
    ordinary = ordinary_words()
    best: tuple[float, int, str] | None = None
    for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            run_words = words[start : start + size]
            run = " ".join(run_words)
            if len(run) < MIN_RUN_CHARACTERS or all(word in ordinary for word in run_words):
                continue
            for site, _ in catalogue.search(run, limit=CANDIDATES):
                similarity = max(fuzz.ratio(run, fold(name)) for name in _names(site))
                if similarity >= MIN_NAME_SIMILARITY:
                    candidate = (similarity, len(run), site.key)
                    best = candidate if best is None else max(best, candidate)
    return best[2] if best else None


def _names(site: Site) -> list[str]:
    return [
        *site.names.values(),
        *(alias for aliases in site.aliases.values() for alias in aliases),
    ]
