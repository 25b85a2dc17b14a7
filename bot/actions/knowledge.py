"""The knowledge base as the actions see it: one store per process, and finding sites.

The action server's workers are separate processes started by Sanic, so the database
comes from the environment (``DATABASE_URL``, which ``guide bot actions`` sets from the
guide's settings). Every answer reads the current catalogue: staff edits are seen at once.
"""

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from sites_data.activity import ActivityLog
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
NLU_DIR = Path(__file__).parents[1] / "data" / "nlu"
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
    store: SiteStore
    activity: ActivityLog


DATABASE_URL_VARIABLE = "DATABASE_URL"


@cache
def _open(database_url: str) -> KnowledgeBase:
    database = Database.open(database_url)
    return KnowledgeBase(SiteStore(database), ActivityLog(database))


def knowledge_base() -> KnowledgeBase:
    database_url = os.environ.get(DATABASE_URL_VARIABLE)
    if not database_url:
        raise RuntimeError(
            f"the actions have no database: set {DATABASE_URL_VARIABLE} "
            "(`guide bot actions` does it from the guide's settings)"
        )
    return _open(database_url)


def catalogue() -> Catalogue:
    return knowledge_base().store.catalogue()


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
    for path in NLU_DIR.glob("*/*.yml"):
        for block in yaml.safe_load(path.read_text("utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                words.update(fold(_ENTITY_MARKUP.sub(" ", line.removeprefix("- "))).split())
    return frozenset(words)


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
