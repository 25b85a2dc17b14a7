"""Narration speed, measured on this machine (a script, not a test).

    .venv/bin/python bench/narration.py [--sites N] [--texts DIR] [--only speech|build|translation]

Prints, for every offline voice of the languages table, in every language, the real-time
factor (seconds of audio per second of compute) of the voice alone, of the audio pipeline
alone (normalising and encoding MP3 and Opus) and of both, with the Opus file's size next to
the MP3's; then the time of a full build of every site in the eight languages with the
voices ``auto`` picks, two items at a time, and of a rebuild when nothing changed (goal:
under one second); then the translation throughput of transformers and CTranslate2 on a
model the size of a published opus-mt model (random weights: the speed is measured, not the
words).

Vietnamese and English texts come from the site files. The other languages are machine
translations the guide makes; without a translation model they come from ``--texts DIR``
(``DIR/<lang>/<site>.yaml`` with a ``narration`` field, such as translators' drafts), and a
site without one is left out of that language (the build says how many items it had).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml
from transformers import AutoTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from narration.audio import normalise_and_encode
from narration.build import Outcome
from narration.errors import NarrationError
from narration.service import Narration
from narration.speech.base import Synthesizer
from narration.speech.engines import AUTO, Voices
from narration.speech.espeak import EspeakNg
from narration.speech.mms import MmsVits
from narration.speech.openjtalk import OpenJTalk
from narration.speech.pico import Pico
from narration.speech.piper import Piper
from narration.speech.rhvoice import RhVoice
from narration.translation.base import Translator
from narration.translation.ctranslate import CTranslate2Translator
from narration.translation.models import ModelSpec, TransformersTranslator
from narration.translation.segments import split
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import LocalizedText, Origin, Site
from sites_data.store import SiteStore
from tests.narration.tiny_models import tiny_marian, tiny_vits

# The size of a published opus-mt (Marian) model: 6 + 6 layers of 512, ~58k vocabulary.
OPUS_MT_SIZE = {
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
}
OPUS_MT_VOCAB = 58_101
SENTENCES = 32
DRAFTS = "draft (bench --texts)"


def speech_rtf(engine: Synthesizer, lang: str, text: str, work: Path) -> None:
    label = f"{engine.name} {engine.voice(lang)}"
    reason = engine.unavailable_reason(lang)
    if reason:
        print(f"  {lang}  {label:<28} n/a: {reason}")
        return
    started = time.perf_counter()
    audio = engine.synthesize(text, lang)
    speaking_s = time.perf_counter() - started
    try:
        encoded = normalise_and_encode(audio, work, "bench", lang, label)
    except NarrationError as error:
        print(f"  {lang}  {label:<28} pipeline failed: {error}")
        return
    total_s = time.perf_counter() - started
    audio_s = encoded.duration_s
    sizes = {fmt: path.stat().st_size for fmt, path in encoded.files.items()}
    print(
        f"  {lang}  {label:<28} {audio_s / speaking_s:6.1f}x voice, "
        f"{audio_s / (total_s - speaking_s):5.1f}x pipeline, {audio_s / total_s:5.1f}x both "
        f"({audio_s:.0f} s of audio in {total_s:.1f} s); Opus {sizes['opus'] / sizes['mp3']:.2f} "
        f"of the MP3's {sizes['mp3'] / 1000:.0f} kB"
    )


def with_texts(sites: list[Site], texts: Path | None) -> list[Site]:
    """The sites with the narration ``texts`` holds for the languages they lack."""
    if texts is None:
        return sites
    completed = []
    for site in sites:
        narration = dict(site.narration)
        for lang in LANGUAGE_CODES:
            path = texts / lang / f"{site.key}.yaml"
            if lang not in narration and path.is_file():
                text = yaml.safe_load(path.read_text(encoding="utf-8"))["narration"]
                narration[lang] = LocalizedText(text=text, origin=Origin.MACHINE, model=DRAFTS)
        completed.append(site.model_copy(update={"narration": narration}))
    return completed


def translation_throughput(
    label: str, translator: Translator, model: Path, sentences: list[str]
) -> None:
    translator.translate(sentences[:1], "en", "fr")  # load (and convert) outside the timing
    started = time.perf_counter()
    outputs = translator.translate(sentences, "en", "fr")
    elapsed = time.perf_counter() - started
    tokenizer = AutoTokenizer.from_pretrained(str(model))
    tokens = sum(len(tokenizer.tokenize(text)) for text in outputs)
    print(
        f"  {label:<24} {tokens / elapsed:6.0f} target tokens/s, "
        f"{len(sentences) / elapsed:4.1f} sentences/s ({tokens} tokens in {elapsed:.1f} s)"
    )


def build_times(sites: list[Site], root: Path, langs: list[str], engine_choice: str) -> None:
    database = f"sqlite:///{root / 'guide.db'}"
    engine = make_engine(database)
    upgrade(engine)
    SiteStore(Database(engine)).load(sites)

    def narration() -> Narration:
        absent = TransformersTranslator(ModelSpec("no-model-needed"))
        return Narration(SiteStore(Database(engine)), root / "audio", offline_voices(), absent)

    items = sum(1 for site in sites for lang in langs if lang in site.narration)
    print(
        f"\nFull build: {len(sites)} sites × {len(langs)} languages, {items} items with a text "
        f"(2 jobs, engine {engine_choice}, offline)"
    )
    started = time.perf_counter()
    report = narration().build(langs=langs, engine=engine_choice, jobs=2)
    elapsed = time.perf_counter() - started
    built = narration().library.current_versions().values()
    print(
        f"  {report.count(Outcome.BUILT)} built, {report.count(Outcome.FAILED)} failed "
        f"in {elapsed:.1f} s ({sum(version.duration_s for version in built) / 60:.0f} min "
        "of audio)"
    )
    engines: dict[str, int] = {}
    for result in report.results:
        if result.outcome == Outcome.BUILT:
            key = f"{result.lang} {result.engine}"
            engines[key] = engines.get(key, 0) + 1
    print("  " + ", ".join(f"{key}: {count}" for key, count in sorted(engines.items())))
    failures = {result.detail.split(";")[0][:90] for result in report.failures}
    for failure in sorted(failures):
        print(f"  failed: {failure}")
    started = time.perf_counter()
    report = narration().build(langs=langs, engine=engine_choice, jobs=2)
    elapsed = time.perf_counter() - started
    print(f"  rebuild, nothing changed: {report.count(Outcome.REUSED)} reused in {elapsed:.2f} s")


def offline_voices() -> Voices:
    return Voices([Piper(), OpenJTalk(), RhVoice(), Pico(), EspeakNg.load()])


def main() -> None:
    parser = argparse.ArgumentParser(description="Narration speed on this machine.")
    parser.add_argument("--sites", type=int, default=0, help="only the first N sites")
    parser.add_argument("--texts", type=Path, help="folder of DIR/<lang>/<site>.yaml texts")
    parser.add_argument(
        "--only", choices=["speech", "build", "translation"], help="one of the three parts"
    )
    parser.add_argument("--langs", default=",".join(LANGUAGE_CODES), help="languages to build")
    parser.add_argument("--engine", default=AUTO, help="the build's engine (default auto)")
    options = parser.parse_args()
    sites = with_texts(read_site_files(), options.texts)
    sites = sites[: options.sites] if options.sites else sites
    site = next((site for site in sites if site.key == "banh-it"), sites[0])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        work = root / "work"
        work.mkdir()
        if options.only in (None, "speech"):
            print(f"Speech, real-time factors on the narration of {site.key}:")
            voices = offline_voices()
            for lang in LANGUAGE_CODES:
                text = site.narration[lang].text if lang in site.narration else None
                for engine in voices.ordered(lang):
                    if text is None:
                        print(f"  {lang}  {engine.name:<28} n/a: no {lang} text (--texts)")
                        break
                    speech_rtf(engine, lang, text, work)
            vits = tiny_vits(root / "vits-mms-size", full_size=True)
            speech_rtf(MmsVits(f"vi={vits}"), "vi", site.narration["vi"].text, work)
        if options.only in (None, "build"):
            build_times(sites, root, options.langs.split(","), options.engine)
        if options.only in (None, "translation"):
            translation_speed(sites, root)


def translation_speed(sites: list[Site], root: Path) -> None:
    print(f"\nTranslation en→fr, {SENTENCES} sentences, beam 4, random opus-mt-size model:")
    model = tiny_marian(root / "opus-mt-size", vocab_size=OPUS_MT_VOCAB, **OPUS_MT_SIZE)
    sentences = [s for site in sites for p in split(site.narration["en"].text) for s in p]
    spec = ModelSpec(str(model))
    for label, translator in (
        ("transformers", TransformersTranslator(spec)),
        ("CTranslate2", CTranslate2Translator(spec, root / "ct2")),
    ):
        translation_throughput(label, translator, model, sentences[:SENTENCES])


if __name__ == "__main__":
    main()
