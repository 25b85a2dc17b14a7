"""Which offline voice speaks each language best, measured on this machine (a script, not a
test). The order of ``narration/languages.yaml`` and the README's voice table come from it.

    .venv/bin/python bench/voices.py [--site KEY] [--texts DIR] [--asr-sites N]

For every installed candidate voice:

- every language: the narration of one site is spoken, and the audio must be speech of a
  plausible length for the text (characters, syllable blocks or letters per second within
  the range of natural speech, ``narration/speech/plausible.py``): a voice that spells a
  script out or skips it falls outside. For espeak-ng the share of words it would read
  through another language's rules is shown too.
- English: a speech-recognition round trip. Each sentence of the English narration of the
  first N sites is spoken, recognised by PocketSphinx (its wheel carries an English model)
  and compared with the text: the word error rate. Place names are not in the recogniser's
  vocabulary, so no voice comes near 0 %; the order of the voices is what counts.

Texts in Vietnamese and English come from the site files; the other languages from
``--texts DIR`` (``DIR/<lang>/<site>.yaml`` with a ``narration`` field, such as translators'
drafts) when given, else from the sample sentence of the languages table.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from narration.audio import Audio, duration_s
from narration.errors import NarrationError
from narration.languages import narration_language
from narration.speech.base import Synthesizer
from narration.speech.espeak import EspeakLibrary, EspeakNg, foreign_word_share
from narration.speech.openjtalk import OpenJTalk
from narration.speech.pico import Pico
from narration.speech.piper import Piper
from narration.speech.plausible import implausible, rate_for, speech_rate
from narration.speech.rhvoice import RhVoice
from narration.translation.segments import split
from sites_data.files import read_site_files
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import Site


@dataclass(frozen=True)
class Candidate:
    lang: str
    engine: Synthesizer
    label: str  # engine and voice as the README names them
    licence: str


def candidates() -> list[Candidate]:
    newer = EspeakNg(library=EspeakLibrary.from_package())
    debian = EspeakNg(library=None)
    espeak = "GPL-3.0-or-later (program and data)"
    found = [
        Candidate("en", Piper(), "piper en_US-joe-medium", "MIT package, CC0 dataset"),
        Candidate("en", RhVoice(), "rhvoice slt", "LGPL-2.1+"),
        Candidate("en", RhVoice(voices={"en": "alan"}), "rhvoice alan", "LGPL-2.1+"),
        Candidate("en", Pico(), "pico en-US", "Apache-2.0"),
        Candidate("ja", OpenJTalk(), "openjtalk mei_normal", "BSD dictionary, CC BY 3.0 voice"),
        Candidate("ru", RhVoice(), "rhvoice anna", "LGPL-2.1+"),
        Candidate("ru", RhVoice(voices={"ru": "elena"}), "rhvoice elena", "LGPL-2.1+"),
        Candidate("fr", Pico(), "pico fr-FR", "Apache-2.0"),
        Candidate("de", Pico(), "pico de-DE", "Apache-2.0"),
    ]
    for lang in LANGUAGE_CODES:
        voice = narration_language(lang).offline_voice("espeak")
        if voice:
            found.append(Candidate(lang, newer, f"espeak {voice} (1.52 data)", espeak))
    found.append(Candidate("zh", debian, "espeak cmn (Debian 1.51 data)", espeak))
    return sorted(found, key=lambda candidate: LANGUAGE_CODES.index(candidate.lang))


def narration_text(site: Site, lang: str, texts: Path | None) -> tuple[str, str]:
    """The narration of ``site`` in ``lang`` and where it came from."""
    if lang in site.narration:
        return site.narration[lang].text, f"{site.key} (site file)"
    if texts is not None:
        path = texts / lang / f"{site.key}.yaml"
        if path.is_file():
            return yaml.safe_load(path.read_text(encoding="utf-8"))["narration"], str(path)
    return narration_language(lang).sample, "sample sentence"


def seconds_of(audio: Audio, work: Path) -> float:
    path = work / f"speech.{audio.format}"
    path.write_bytes(audio.data)
    return duration_s(path, "the speech")


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9']+", " ", text.lower()).split()


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Substitutions, insertions and deletions (Levenshtein distance over words)."""
    row = list(range(len(hypothesis) + 1))
    for i, word in enumerate(reference, start=1):
        previous, row[0] = row[0], i
        for j, heard in enumerate(hypothesis, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != heard))
    return row[-1]


def recognised(audio: Audio, work: Path) -> str:
    from pocketsphinx import Decoder

    path = work / f"asr.{audio.format}"
    path.write_bytes(audio.data)
    pcm = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", "16000", "-f", "s16le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr if hypothesis is not None else ""


def word_error_rate(engine: Synthesizer, sites: list[Site], work: Path) -> float:
    errors = total = 0
    for site in sites:
        for paragraph in split(site.narration["en"].text):
            for sentence in paragraph:
                reference = _words(sentence)
                hypothesis = _words(recognised(engine.synthesize(sentence, "en"), work))
                errors += word_errors(reference, hypothesis)
                total += len(reference)
    return errors / total


def main() -> None:
    parser = argparse.ArgumentParser(description="Offline voices, measured on this machine.")
    parser.add_argument("--site", default="banh-it", help="the site whose narration is spoken")
    parser.add_argument("--texts", type=Path, help="folder of DIR/<lang>/<site>.yaml texts")
    parser.add_argument("--asr-sites", type=int, default=2, help="sites for the English WER")
    options = parser.parse_args()
    sites = read_site_files()
    site = next(site for site in sites if site.key == options.site)
    asr_sites = [site, *(other for other in sites if other is not site)][: options.asr_sites]
    print(
        "| lang | engine and voice | licence | text | real time | speech rate | "
        "English WER | verdict |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for candidate in candidates():
            print(row(candidate, site, asr_sites, options.texts, work), flush=True)


def row(
    candidate: Candidate, site: Site, asr_sites: list[Site], texts: Path | None, work: Path
) -> str:
    lang, engine = candidate.lang, candidate.engine
    cells = [lang, candidate.label, candidate.licence]
    reason = engine.unavailable_reason(lang)
    if reason and not (isinstance(engine, EspeakNg) and "cannot read" in reason):
        return "| " + " | ".join([*cells, "", "", "", "", f"not installed: {reason}"]) + " |"
    text, origin = narration_text(site, lang, texts)
    cells.append(origin)
    started = time.perf_counter()
    try:
        audio = _speak(engine, text, lang)
    except NarrationError as error:
        return "| " + " | ".join([*cells, "", "", "", f"fails: {error}"]) + " |"
    elapsed = time.perf_counter() - started
    seconds = seconds_of(audio, work)
    rate = rate_for(lang)
    cells.append(f"{seconds / elapsed:.0f}×")
    cells.append(f"{speech_rate(text, seconds):.1f} {rate.unit}/s ({rate.low:g}–{rate.high:g})")
    cells.append(f"{word_error_rate(engine, asr_sites, work):.0%}" if lang == "en" else "")
    verdicts = [implausible(text, lang, seconds) or "speech of plausible length"]
    if isinstance(engine, EspeakNg):
        phonemes = engine._run(["-q", "-x", "-v", engine.voice(lang)], text).decode()
        share = foreign_word_share(phonemes, engine.voice(lang))
        verdicts.append(f"{share:.0%} of words read through another language's rules")
    cells.append("; ".join(verdicts))
    return "| " + " | ".join(cells) + " |"


def _speak(engine: Synthesizer, text: str, lang: str) -> Audio:
    """The engine's audio even where it declines the script (to show what it would say)."""
    if isinstance(engine, EspeakNg) and engine.unavailable_reason(lang):
        return engine.speak(text, engine.voice(lang))
    return engine.synthesize(text, lang)


if __name__ == "__main__":
    main()
