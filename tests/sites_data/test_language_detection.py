"""The language of a visitor's message, in all eight languages, offline."""

import pytest

from sites_data.language_detection import detect_language
from sites_data.schema import Site
from sites_data.search import place_names as all_place_names

# (message, the language of the visitor's page, the language the reply must be in)
MESSAGES = [
    ("Tháp Đôi mở cửa mấy giờ?", "en", "vi"),
    ("vé vào cổng bao nhiêu tiền", "fr", "vi"),
    ("What are the opening hours?", "vi", "en"),
    ("how much is the ticket", "vi", "en"),
    ("门票多少钱？", "en", "zh"),  # noqa: RUF001
    ("입장료는 얼마예요?", "en", "ko"),
    ("入場料はいくらですか", "en", "ja"),
    ("Combien coûte le billet ?", "en", "fr"),
    ("Сколько стоит билет?", "en", "ru"),
    ("Wie viel kostet der Eintritt?", "en", "de"),
    # Vietnamese without diacritics
    ("thap doi mo cua may gio", "en", "vi"),
    ("ve bao nhieu tien", "de", "vi"),
    ("gan day co gi choi", "en", "vi"),
    ("di thap doi the nao", "ru", "vi"),
    ("co phai bot khong", "en", "vi"),
    ("cam on ban", "en", "vi"),
    # English sentences made of words that are also Vietnamese syllables
    ("can I go to the beach", "vi", "en"),
    ("ich bin hier", "vi", "de"),
    # The guide's place names say nothing about the language
    ("Wie komme ich zum Tháp Đôi?", "en", "de"),
    ("How do I get to Tháp Bánh Ít?", "vi", "en"),
    ("Combien coûte l'entrée à Tháp Đôi ?", "en", "fr"),
    ("Как добраться до Tháp Đôi", "en", "ru"),
    ("gio mo cua po klong garai", "en", "vi"),
    ("plan my day in Phan Rang", "vi", "en"),
    ("what is there to see in Quy Nhon", "vi", "en"),
    ("Thap Doi", "ja", "ja"),
    ("Po Klong Garai", "de", "de"),
    ("Tháp Đôi", "ko", "ko"),
    # Other Vietnamese names still show the words around them
    ("Where is Ghềnh Ráng Tiên Sa?", "vi", "en"),
    ("Quy Nhơn có gì chơi", "en", "vi"),
    # Too short to tell: the page's language
    ("ok", "fr", "fr"),
    ("?", "ru", "ru"),
    ("Thap Doi?", "fr", "fr"),
    ("Hang Rai?", "ko", "ko"),
    ("Was ist", "de", "de"),
    # A name of one language only tells that language; French typography tells French
    ("Ky Co Strand", "en", "de"),
    ("quy nhon twin towers?", "vi", "en"),
    ("Po Rome ?", "en", "fr"),
    ("Po Rome?", "en", "en"),
    # Vietnamese chat shorthand
    ("may h mo cua vay ad", "en", "vi"),
    ("eo gió cho bay flycam ko ad", "en", "vi"),
    # A greeting, thanks or farewell tells its language, whatever the page
    ("hi", "vi", "en"),
    ("hello", "de", "en"),
    ("Hallo!", "vi", "de"),
    ("Bonjour !", "en", "fr"),
    ("thanks", "ko", "en"),
    ("xin chao", "en", "vi"),
    ("hi Thap Doi", "vi", "en"),
    ("ok bye!", "vi", "en"),
    ("ok", "de", "de"),
    # A script tells its language, even for a bare name or a greeting
    ("쌍탑?", "vi", "ko"),
    ("퀴논 쌍탑 입장료?", "en", "ko"),
    ("Ky Co 비치 입장료?", "en", "ko"),
    ("ポー・クロン・ガライ", "vi", "ja"),
    ("Привет", "vi", "ru"),
    ("你好", "en", "zh"),
    ("双塔?", "ja", "ja"),
    ("Where is 奇可海滩?", "vi", "en"),
    # ...and its grammar, when English words outnumber its letters
    ("까나 비치 ticket 있어요? free?", "en", "ko"),
    ("Ticket for Ky Co ありますか", "en", "ja"),
    ("Ky Co beach ticket 多少钱", "en", "zh"),
    # Clear single words are still recognised
    ("Öffnungszeiten", "en", "de"),
    ("谢谢", "en", "zh"),
    # Kanji alone reads as Chinese, unless the page is Japanese
    ("近くの観光地は？", "en", "ja"),  # noqa: RUF001
    ("入場料", "ja", "ja"),
]


@pytest.fixture(scope="module")
def place_names(shipped_sites: list[Site]) -> dict[str, frozenset[str]]:
    return all_place_names(shipped_sites)


@pytest.mark.parametrize(("message", "page_language", "expected"), MESSAGES)
def test_the_reply_language_follows_the_message(
    message: str, page_language: str, expected: str, place_names: dict[str, frozenset[str]]
) -> None:
    assert detect_language(message, page_language, place_names) == expected


def test_every_language_is_covered() -> None:
    assert {expected for _, _, expected in MESSAGES} == {
        "vi",
        "en",
        "zh",
        "ko",
        "ja",
        "fr",
        "ru",
        "de",
    }
