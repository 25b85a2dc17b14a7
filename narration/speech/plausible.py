"""Whether synthesised audio is speech of a plausible length for its text.

A voice that cannot read a script spells it out letter by letter, or skips it: either way
the audio is far too long or far too short for the text. Speech is counted in the units
people read: characters for Chinese and Japanese, syllable blocks for Korean, letters for
alphabets. The ranges hold slow and fast natural speech with its pauses.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    unit: str
    low: float  # units per second
    high: float


RATES = {
    "zh": Rate("characters", 2.5, 9.0),
    "ja": Rate("characters", 3.0, 14.0),
    "ko": Rate("syllables", 2.5, 12.0),
}
ALPHABETIC = Rate("letters", 7.0, 30.0)


def rate_for(lang: str) -> Rate:
    return RATES.get(lang, ALPHABETIC)


def units(text: str) -> int:
    """The letters (or characters, or syllable blocks) of a text, and its digits."""
    return sum(1 for char in text if char.isalnum())


def speech_rate(text: str, seconds: float) -> float:
    return units(text) / seconds if seconds > 0 else float("inf")


def implausible(text: str, lang: str, seconds: float) -> str | None:
    """Why ``seconds`` of audio cannot be ``text`` read aloud, or None when it can be."""
    rate, measured = rate_for(lang), speech_rate(text, seconds)
    if rate.low <= measured <= rate.high:
        return None
    verdict = "too slow: spelt out or stretched" if measured < rate.low else "too fast: skipped"
    return (
        f"{seconds:.1f} s for {units(text)} {rate.unit} is {measured:.1f} {rate.unit}/s, "
        f"{verdict} (speech is {rate.low:g} to {rate.high:g})"
    )
