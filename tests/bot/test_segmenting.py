"""The words of a text in each script the guide's visitors write in."""

from itertools import pairwise

import pytest

from bot.segmenting import Word, tokens, words


def _texts(text: str) -> list[str]:
    return [word.text for word in words(text)]


def test_a_chinese_sentence_is_cut_into_words() -> None:
    found = _texts("双塔的门票多少钱")
    assert "门票" in found
    assert "双塔" in found
    assert "".join(found) == "双塔的门票多少钱"


def test_a_japanese_sentence_is_cut_into_words() -> None:
    found = _texts("チャンパ塔の入場料はいくらですか")
    assert {"チャンパ", "入場", "いくら"} <= set(found)
    assert "".join(found) == "チャンパ塔の入場料はいくらですか"


def test_chinese_characters_in_a_japanese_sentence_are_read_as_japanese() -> None:
    # jieba would keep 入場料 whole; MeCab with UniDic gives 入場 and 料.
    assert _texts("入場料はいくら") == ["入場", "料", "は", "いくら"]


def test_vietnamese_words_keep_their_diacritics() -> None:
    found = _texts("Tháp Đôi mở cửa lúc mấy giờ?")
    assert found == ["Tháp", "Đôi", "mở", "cửa", "lúc", "mấy", "giờ"]


def test_vietnamese_typed_with_combining_marks_stays_one_word_each() -> None:
    decomposed = "Tha\u0301p Đôi"
    assert _texts(decomposed) == ["Tha\u0301p", "Đôi"]


def test_korean_splits_at_spaces() -> None:
    assert _texts("쌍탑 입장료는 얼마예요?") == ["쌍탑", "입장료는", "얼마예요"]


def test_latin_words_next_to_chinese_ones_are_words_of_their_own() -> None:
    found = _texts("Tháp Đôi的门票，多少钱？")  # noqa: RUF001
    assert found == ["Tháp", "Đôi", "的", "门票", "多少", "钱"]


@pytest.mark.parametrize(
    "text",
    [
        "双塔的门票多少钱？",  # noqa: RUF001
        "  チャンパ塔の入場料は、いくらですか。",
        "Сколько стоит билет в «Тхап Дой»?",
        "l'entrée de Tháp Bánh Ít, 9h30-17h",
        "从归仁到 Tháp Đôi 怎么走",
        "ポー・クロン・ガライ塔へ行きたい",
    ],
)
def test_each_word_stands_where_its_offsets_say(text: str) -> None:
    found = words(text)
    assert found
    assert all(text[word.start : word.end] == word.text for word in found)
    assert [word.start for word in found] == sorted(word.start for word in found)
    assert all(earlier.end <= later.start for earlier, later in pairwise(found))


def test_punctuation_and_spaces_are_no_words() -> None:
    assert words(" ？！… ・ ") == []  # noqa: RUF001
    assert words("") == []


def test_tokens_are_the_words_lower_cased() -> None:
    assert tokens("Wo ist der TURM?") == ["wo", "ist", "der", "turm"]
    assert words("Wo")[0] == Word("Wo", 0, 2)
