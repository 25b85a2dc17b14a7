"""Narration speed, measured on this machine (a script, not a test).

    .venv/bin/python bench/narration.py [--sites N]

Prints the real-time factor of each speech engine (seconds of audio per second of compute),
the time of a full build of the sites in the languages this machine can voice from their
human text, the time of a rebuild when nothing changed (goal: under one second), and the
translation throughput of transformers and CTranslate2 on a model the size of a published
opus-mt model (random weights: the speed is measured, not the words).
"""

import argparse
import io
import sys
import tempfile
import time
import wave
from pathlib import Path

from transformers import AutoTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from narration.audio import normalise_and_encode
from narration.build import Outcome
from narration.errors import NarrationError
from narration.service import Narration
from narration.speech.base import Synthesizer
from narration.speech.engines import Voices
from narration.speech.espeak import EspeakNg
from narration.speech.google import GoogleTts
from narration.speech.mms import MmsVits
from narration.translation.base import Translator
from narration.translation.ctranslate import CTranslate2Translator
from narration.translation.models import ModelSpec, TransformersTranslator
from narration.translation.segments import split
from sites_data.db import make_engine, upgrade
from sites_data.files import read_site_files
from sites_data.schema import Site
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
LANGS = ["vi", "en"]


def speech_rtf(label: str, engine: Synthesizer, site: Site, lang: str, work: Path) -> None:
    reason = engine.unavailable_reason(lang)
    if reason:
        print(f"  {label:<24} n/a: {reason}")
        return
    text = site.narration[lang].text
    started = time.perf_counter()
    audio = engine.synthesize(text, lang)
    speaking_s = time.perf_counter() - started
    with wave.open(io.BytesIO(audio.data)) as sound:
        audio_s = sound.getnframes() / sound.getframerate()
    try:
        encoded = normalise_and_encode(audio, work, site.name(lang), lang, label)
        pipeline = f"{encoded.duration_s / (time.perf_counter() - started):5.1f}x"
    except NarrationError as error:
        pipeline = f"n/a ({error})"
    print(
        f"  {label:<24} {audio_s / speaking_s:6.1f}x real time speaking, {pipeline} with "
        f"normalising and encoding ({audio_s:.0f} s of audio in {speaking_s:.1f} s)"
    )


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


def build_times(sites: list[Site], root: Path) -> None:
    database = f"sqlite:///{root / 'guide.db'}"
    engine = make_engine(database)
    upgrade(engine)
    SiteStore(engine).load(sites)

    def narration() -> Narration:
        absent = TransformersTranslator(ModelSpec("no-model-needed"))
        return Narration(engine, root / "audio", Voices([EspeakNg()]), absent)

    print(f"\nFull build: {len(sites)} sites in {', '.join(LANGS)} (espeak-ng, 2 jobs)")
    started = time.perf_counter()
    report = narration().build(langs=LANGS, jobs=2)
    elapsed = time.perf_counter() - started
    built = narration().library.current_versions().values()
    print(
        f"  {report.count(Outcome.BUILT)} built, {report.count(Outcome.FAILED)} failed "
        f"in {elapsed:.1f} s ({sum(version.duration_s for version in built) / 60:.0f} min "
        "of audio)"
    )
    started = time.perf_counter()
    report = narration().build(langs=LANGS, jobs=2)
    elapsed = time.perf_counter() - started
    print(f"  rebuild, nothing changed: {report.count(Outcome.REUSED)} reused in {elapsed:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description="Narration speed on this machine.")
    parser.add_argument("--sites", type=int, default=0, help="only the first N sites")
    parser.add_argument(
        "--only", choices=["speech", "build", "translation"], help="one of the three parts"
    )
    options = parser.parse_args()
    sites = read_site_files()
    sites = sites[: options.sites] if options.sites else sites
    site = next((site for site in sites if site.key == "po-klong-garai"), sites[0])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        work = root / "work"
        work.mkdir()
        if options.only in (None, "speech"):
            print(f"Speech, real-time factor on the narration of {site.key}:")
            speech_rtf("espeak-ng (vi)", EspeakNg(), site, "vi", work)
            speech_rtf("espeak-ng (en)", EspeakNg(), site, "en", work)
            vits = tiny_vits(root / "vits-mms-size", full_size=True)
            speech_rtf("MMS-size VITS (vi)", MmsVits(f"vi={vits}"), site, "vi", work)
            speech_rtf("gTTS (vi)", GoogleTts(), site, "vi", work)
        if options.only in (None, "build"):
            build_times(sites, root)
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
