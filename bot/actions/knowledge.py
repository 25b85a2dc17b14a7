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

from bot.actions.mentions import Kind, Mention, NameFinder, generic_words, sound_key
from sites_data.activity import ActivityLog, Counted, Unanswered
from sites_data.db import Database
from sites_data.places import places
from sites_data.schema import Site
from sites_data.store import Catalogue, SiteStore
from sites_data.textnorm import fold

# The training phrases ship inside the package (pyproject.toml's package data).
NLU_DIR: Traversable = files("bot").joinpath("data", "nlu")
# How far from a town's centre "the museum in <town>" is looked for.
TOWN_RADIUS_KM = 15.0
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


def resolve_site(
    catalogue: Catalogue, named: Sequence[str], message: str, interests: Sequence[str] = ()
) -> str | None:
    """The key of the site the visitor named, if any.

    ``named`` are the site entities the NLU found (a key once synonyms are mapped, or
    the words as typed); without them, the first site the message names as tourists write
    names (``mentions``); without one, a kind of place (``interests``, the NLU's) in a town
    the message names: "the museum in Phan Rang".
    """
    for value in named:
        if value in catalogue.sites:
            return value
        hits = catalogue.search(value, limit=1)
        if hits:
            return hits[0][0].key
    finder = name_finder(catalogue)
    mentions = finder.find(message)
    site = next((m.key for m in mentions if m.kind == Kind.SITE), None)
    return (
        site
        or _by_kind_word(catalogue, finder.shared(message), message)
        or _kind_in_town(catalogue, interests, mentions)
    )


def _by_kind_word(catalogue: Catalogue, shared: Sequence[str], message: str) -> str | None:
    """Of the sites sharing the name the message has, the one whose names have the kind of
    place the message says ("Cà Ná beach", "Ca Na盐田"), if only one has it."""
    folded = fold(message)
    said = [word for word in generic_words() if _has_word(folded, word)]
    having = [
        key
        for key in shared
        if key in catalogue.sites
        and any(
            _has_word(fold(name), word)
            for name in [*catalogue.sites[key].names.values(), *catalogue.sites[key].all_aliases()]
            for word in said
        )
    ]
    return having[0] if len(having) == 1 else None


def _has_word(folded: str, word: str) -> bool:
    """Whether ``word`` is in ``folded``: a whole word in Latin or Cyrillic letters."""
    if word.isascii() or not any(ord(char) > 0x2FFF for char in word):
        return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded) is not None
    return word in folded


def _kind_in_town(
    catalogue: Catalogue, interests: Sequence[str], mentions: Sequence[Mention]
) -> str | None:
    """The site of one of ``interests`` (categories) in the town or former province named:
    of those within ``TOWN_RADIUS_KM`` of its centre, one whose names have the town or the
    province in them, else the nearest."""
    towns = {place.key: place for place in places() if place.kind == "city_centre"}
    town = next((towns[m.key] for m in mentions if m.kind == Kind.PLACE and m.key in towns), None)
    if town is None:
        provinces_named = [m.key for m in mentions if m.kind == Kind.PROVINCE]
        town = next((p for p in towns.values() if p.former_province in provinces_named), None)
    if town is None or town.location is None or not interests:
        return None
    lat, lon = town.location["lat"], town.location["lon"]
    nearby = [
        site for site, _ in catalogue.nearby(lat, lon, TOWN_RADIUS_KM) if site.category in interests
    ]
    spellings = [*town.names.values(), *town.all_aliases(), town.former_province or ""]
    sounds = [sound_key(spelling) for spelling in spellings if sound_key(spelling)]

    def named_after_town(site: Site) -> bool:
        """Whether the site's names (not its aliases) have the town or province in them."""
        return any(s in sound_key(name) for s in sounds for name in site.names.values())

    preferred = [site for site in nearby if named_after_town(site)] or nearby
    return preferred[0].key if preferred else None


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
