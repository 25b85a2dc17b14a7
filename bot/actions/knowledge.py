"""The knowledge base as the actions see it: one store per process, and finding sites.

The action server's workers are separate processes started by Sanic, so the database
comes from the environment (``DATABASE_URL``, which ``guide bot actions`` sets from the
guide's settings). Every answer reads the current catalogue: staff edits are seen at once.
"""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from sites_data.activity import ActivityLog
from sites_data.db import make_engine
from sites_data.store import Catalogue, SiteStore
from sites_data.textnorm import fold

# A misspelt place name is looked for in runs of up to this many words of the message.
MAX_NAME_WORDS = 6
# Shorter runs ("the", "cua") match too many names by accident.
MIN_RUN_CHARACTERS = 4
# How close a run of words must be to the whole of a name (rapidfuzz ratio, 0–100).
MIN_NAME_SIMILARITY = 85.0


@dataclass(frozen=True)
class KnowledgeBase:
    store: SiteStore
    activity: ActivityLog


DATABASE_URL_VARIABLE = "DATABASE_URL"


@cache
def _open(database_url: str) -> KnowledgeBase:
    engine = make_engine(database_url)
    return KnowledgeBase(SiteStore(engine), ActivityLog(engine))


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


def resolve_site(catalogue: Catalogue, named: Sequence[str], message: str) -> str | None:
    """The key of the site the visitor named, if any.

    ``named`` are the site entities the NLU found (a key once synonyms are mapped, or
    the words as typed); without them, the message itself is searched for a name,
    misspelt or not.
    """
    for value in named:
        if value in catalogue.sites:
            return value
        hits = catalogue.search(value, limit=1)
        if hits:
            return hits[0][0].key
    return _site_in_message(catalogue, message)


def _site_in_message(catalogue: Catalogue, message: str) -> str | None:
    words = fold(message).split()
    best: tuple[float, int, str] | None = None
    for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            run = " ".join(words[start : start + size])
            if len(run) < MIN_RUN_CHARACTERS:
                continue
            for site, hit in catalogue.search(run, limit=1):
                similarity = fuzz.ratio(run, fold(hit.matched))
                if similarity >= MIN_NAME_SIMILARITY:
                    candidate = (similarity, len(run), site.key)
                    best = candidate if best is None else max(best, candidate)
    return best[2] if best else None
