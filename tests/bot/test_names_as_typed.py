"""Names as tourists write them, found in messages (bot.actions.mentions), on the shipped
knowledge base: other transliterations, middle dots, a city before the name, a generic word
after it, no diacritics, and the towns, airports, provinces and places outside the area."""

import pytest

from bot.actions.knowledge import ordinary_words
from bot.actions.mentions import Kind, NameFinder, sound_key
from sites_data.files import read_site_files


@pytest.fixture(scope="module")
def finder() -> NameFinder:
    return NameFinder(read_site_files(), ordinary_words())


def named(finder: NameFinder, message: str) -> list[tuple[str, str]]:
    return [(mention.kind.value, mention.key) for mention in finder.find(message)]


def test_sound_keys_ignore_spelling_that_does_not_change_the_sound() -> None:
    assert sound_key("奇可海滩") == sound_key("奇科海滩")  # the same syllables in pinyin
    assert sound_key("ポー・クロン・ガライ") == sound_key("ポークロンガライ")
    assert sound_key("Tháp Đôi") == sound_key("thap doi") == "thapdoi"
    assert sound_key("끼꼬") == sound_key("키코")  # tense and plain consonants


@pytest.mark.parametrize(
    ("message", "site"),
    [
        ("奇可海滩怎么去", "ky-co"),  # a transliteration the knowledge base does not list
        ("뽀클롱가라이탑 몇 시에 열어요", "po-klong-garai"),  # other spelling, 탑 appended
        ("퀴논 쌍탑 입장료", "thap-doi"),  # the city written before the name
        ("키코에서 수영해도 돼요?", "ky-co"),  # without 해변, a particle attached
        ("ポー・クローン・ガライ塔の入場料", "po-klong-garai"),  # middle dots, long vowels
        ("thap doi?", "thap-doi"),  # no diacritics, a bare name
        ("how much is it at po klong garai", "po-klong-garai"),
        ("Ниньчу можно купаться?", "ninh-chu-beach"),
        ("в музее Биньдинь есть аудиогид?", "binh-dinh-museum"),  # музее: музей inflected
    ],
)
def test_a_site_is_found_however_it_is_written(finder: NameFinder, message: str, site: str) -> None:
    assert finder.first(message, Kind.SITE) == site


def test_ordinary_words_and_generic_aliases_are_not_names(finder: NameFinder) -> None:
    assert named(finder, "can a boat go there") == []  # "can a" is not Cà Ná
    assert finder.shared("can a boat go there") == ()
    assert named(finder, "mùa nào có rêu xanh đẹp") == []  # xanh (green) is not Cù Lao Xanh
    # 占婆塔 (Cham tower) is an alias of Po Klong Garai, but it names every Cham tower.
    assert named(finder, "阳隆塔是越南最高的占婆塔吗") == [("site", "duong-long")]


def test_towns_airports_provinces_and_outside_places_in_message_order(
    finder: NameFinder,
) -> None:
    assert named(finder, "how far is hang rai from phan rang") == [
        ("site", "hang-rai"),
        ("place", "phan-rang-centre"),
    ]
    assert named(finder, "푸깟공항에서 키코비치 어떻게 가요?") == [
        ("place", "phu-cat-airport"),
        ("site", "ky-co"),
    ]
    assert named(finder, "Is Dalat far from Phan Rang?") == [
        ("outside", "da-lat"),
        ("place", "phan-rang-centre"),
    ]
    assert named(finder, "宁顺省还在吗") == [("province", "Ninh Thuận")]


def test_a_name_two_sites_share_is_neither_but_asks_which(finder: NameFinder) -> None:
    # "Cà Ná" is the beach and the salt fields; their whole names are one each.
    assert finder.first("on peut se baigner à Ca Na ?", Kind.SITE) is None
    assert finder.shared("on peut se baigner à Ca Na ?") == ("ca-na-beach", "ca-na-salt-fields")
    assert finder.first("les salines de Ca Na", Kind.SITE) == "ca-na-salt-fields"
    assert finder.first("Ca Na beach", Kind.SITE) == "ca-na-beach"


def test_a_site_written_with_another_spelling_of_its_town(finder: NameFinder) -> None:
    # The knowledge base writes 꾸이년 박물관; visitors also write the town 퀴논.
    assert finder.first("퀴논 박물관 월요일에도 열어요?", Kind.SITE) == "binh-dinh-museum"


def test_a_kind_of_place_in_a_named_town_is_that_towns_site() -> None:
    from bot.actions.knowledge import resolve_site
    from sites_data.search import SearchIndex
    from sites_data.store import Catalogue

    sites = read_site_files()
    catalogue = Catalogue({site.key: site for site in sites}, SearchIndex(sites))
    # Фанранге: the town's name inflected. The provincial museum, not the Cham centre
    # nearer the centre, whose names do not have the town or province in them.
    assert resolve_site(catalogue, [], "музей в Фанранге до скольки", ["museum"]) == (
        "ninh-thuan-museum"
    )
    assert resolve_site(catalogue, [], "the museum in quy nhon", ["museum"]) == ("binh-dinh-museum")
    assert resolve_site(catalogue, [], "the museum", ["museum"]) is None  # no town


def test_a_shared_name_with_the_kind_of_place_said_is_the_site_of_that_kind() -> None:
    from bot.actions.knowledge import resolve_site
    from sites_data.search import SearchIndex
    from sites_data.store import Catalogue

    sites = read_site_files()
    catalogue = Catalogue({site.key: site for site in sites}, SearchIndex(sites))
    assert resolve_site(catalogue, [], "Ca Na盐田在哪儿？离藩朗多远", []) == "ca-na-salt-fields"  # noqa: RUF001
    assert resolve_site(catalogue, [], "까나 비치 ticket 있어요? free?", []) == "ca-na-beach"
    assert resolve_site(catalogue, [], "on peut se baigner à Ca Na ?", []) is None


def test_a_latin_name_written_against_chinese_characters(finder: NameFinder) -> None:
    assert finder.first("Phu Loc塔有多高", Kind.SITE) == "phu-loc"
    assert finder.shared("Ca Na盐田在哪儿") == ("ca-na-beach", "ca-na-salt-fields")
