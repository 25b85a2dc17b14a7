"""The shipped knowledge base: enough real sites, the well-known ones, distinct narrations."""

from collections import Counter
from itertools import combinations

from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import HUMAN_LANGUAGES, NARRATION_WORDS, Origin, Site
from sites_data.text_checks import reading_length

WELL_KNOWN = {
    "Bình Định": {
        "thap-doi",
        "banh-it",
        "duong-long",
        "canh-tien",
        "phu-loc",
        "binh-lam",
        "thanh-hoang-de",
        "quang-trung-museum",
        "ghenh-rang-tien-sa",
        "han-mac-tu-tomb",
        "eo-gio",
        "ky-co",
        "thap-thap-di-da",
        "ong-nui-pagoda",
        "ham-ho",
    },
    "Ninh Thuận": {
        "po-klong-garai",
        "po-rome",
        "hoa-lai",
        "bau-truc",
        "my-nghiep",
        "vinh-hy-bay",
        "nui-chua-park",
        "nam-cuong-dunes",
        "hang-rai",
        "ninh-thuan-museum",
        "ca-na-salt-fields",
    },
}
CURRENT_PROVINCE = {"Bình Định": "Gia Lai", "Ninh Thuận": "Khánh Hòa"}


def test_at_least_forty_sites_and_eighteen_per_former_province(shipped_sites: list[Site]) -> None:
    per_province = Counter(site.province.former for site in shipped_sites)
    assert len(shipped_sites) >= 40
    assert per_province["Bình Định"] >= 18
    assert per_province["Ninh Thuận"] >= 18


def test_the_well_known_sites_are_there_in_the_right_province(shipped_sites: list[Site]) -> None:
    by_key = {site.key: site for site in shipped_sites}
    for former, keys in WELL_KNOWN.items():
        for key in keys:
            assert key in by_key, key
            assert by_key[key].province.former == former
            assert by_key[key].province.current == CURRENT_PROVINCE[former]


def test_every_site_has_names_and_aliases_in_every_language(shipped_sites: list[Site]) -> None:
    for site in shipped_sites:
        assert set(site.names) == set(LANGUAGE_CODES), site.key
        assert all(site.aliases[code] for code in LANGUAGE_CODES), site.key


def _shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = text.casefold().split()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_narrations_are_different_for_every_site(shipped_sites: list[Site]) -> None:
    """No two narrations share more than a tenth of their five-word runs (no templates)."""
    for code in ("vi", "en"):
        shingles = {site.key: _shingles(site.narration[code].text) for site in shipped_sites}
        for first, second in combinations(sorted(shingles), 2):
            shared = len(shingles[first] & shingles[second])
            smaller = min(len(shingles[first]), len(shingles[second]))
            assert shared / smaller < 0.1, (code, first, second, shared)


def test_no_two_sites_share_a_name(shipped_sites: list[Site]) -> None:
    names = Counter(name for site in shipped_sites for name in site.names.values())
    assert [name for name, count in names.items() if count > 1] == []


def test_unknown_facts_are_said_to_be_unknown(shipped_sites: list[Site]) -> None:
    for site in shipped_sites:
        if site.tickets.status == "priced":
            assert site.tickets.as_of is not None
        for part in (site.opening_hours, site.tickets):
            if part.status == "unknown":
                assert {"vi", "en"} <= set(part.note), site.key


def test_every_text_a_visitor_reads_is_in_every_language(shipped_sites: list[Site]) -> None:
    for site in shipped_sites:
        for field, texts in site.localized_fields():
            assert set(texts) == set(LANGUAGE_CODES), (site.key, field)


def test_texts_we_translated_are_drafts_that_name_their_translator(
    shipped_sites: list[Site],
) -> None:
    for site in shipped_sites:
        for field, texts in site.localized_fields():
            for lang, text in texts.items():
                if lang in HUMAN_LANGUAGES and field in ("description", "narration"):
                    assert text.origin == Origin.HUMAN, (site.key, field, lang)
                elif lang not in HUMAN_LANGUAGES:
                    assert text.origin == Origin.MACHINE and text.model, (site.key, field, lang)


def test_narrations_in_every_language_are_full_length(shipped_sites: list[Site]) -> None:
    low, high = NARRATION_WORDS
    for site in shipped_sites:
        for lang, text in site.narration.items():
            length = reading_length(text.text, lang)
            assert low * 0.9 <= length <= high * 1.1, (site.key, lang, length)


def test_reported_figures_name_their_source_and_when_it_was_read(
    shipped_sites: list[Site],
) -> None:
    reported = [
        version
        for site in shipped_sites
        for version in [*site.opening_hours.reported, *site.tickets.reported]
    ]
    assert len(reported) >= 10
    for version in reported:
        assert version.source.url.startswith("http") and version.source.title
        assert version.read.year >= 2026
