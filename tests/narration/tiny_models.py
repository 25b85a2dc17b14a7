"""Tiny models with random weights, built on the fly: model weights cannot be downloaded here.

Each is saved to a folder exactly as the real models are published, so the guide loads it
through its real loading code. Their output is gibberish; the tests check the plumbing.
"""

import io
import json
from pathlib import Path

import sentencepiece as spm
import torch
from transformers import (
    M2M100Config,
    M2M100ForConditionalGeneration,
    M2M100Tokenizer,
    MarianConfig,
    MarianMTModel,
    MarianTokenizer,
    VitsConfig,
    VitsModel,
    VitsTokenizer,
)
from transformers.models.m2m_100.tokenization_m2m_100 import FAIRSEQ_LANGUAGE_CODES

from sites_data.files import read_site_files

VOCAB_SIZE = 600


def site_sentences() -> list[str]:
    """The English and Vietnamese narrations of the shipped sites, a line per paragraph."""
    lines = []
    for site in read_site_files():
        for lang in ("en", "vi"):
            lines.extend(part for part in site.narration[lang].text.split("\n") if part.strip())
    return lines


def _sentencepiece(extra_pieces: int = 0, **special_ids: int) -> bytes:
    """A sentencepiece model of the site texts; ``extra_pieces`` unused whole pieces make its
    vocabulary as large as a published model's."""
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(site_sentences()),
        model_writer=model,
        vocab_size=VOCAB_SIZE + extra_pieces,
        user_defined_symbols=[f"<unused{index}>" for index in range(extra_pieces)],
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
        **special_ids,
    )
    return model.getvalue()


def _pieces(model: bytes) -> dict[str, int]:
    processor = spm.SentencePieceProcessor(model_proto=model)
    return {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}


TINY = {
    "d_model": 16,
    "encoder_layers": 1,
    "decoder_layers": 1,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 32,
    "decoder_ffn_dim": 32,
}


def tiny_marian(folder: Path, vocab_size: int = 0, **sizes: int) -> Path:
    """A Marian (opus-mt) model: shared sentencepiece vocabulary, ``<pad>`` last.

    ``sizes`` replace the tiny layer sizes (``d_model=512``…) and ``vocab_size`` grows the
    vocabulary with unused pieces, for a model as large as the published ones.
    """
    extra = max(0, vocab_size - 1 - VOCAB_SIZE)
    model = _sentencepiece(extra, unk_id=1, eos_id=0, bos_id=-1, pad_id=-1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.spm").write_bytes(model)
    (folder / "target.spm").write_bytes(model)
    vocab = _pieces(model)
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    tokenizer = MarianTokenizer(
        str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json")
    )
    torch.manual_seed(0)
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        max_position_embeddings=512,
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        **(TINY | sizes),
    )
    MarianMTModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def tiny_m2m100(folder: Path) -> Path:
    """An M2M100 model: language tokens such as ``__fr__`` tell it the languages."""
    model = _sentencepiece(unk_id=3, bos_id=0, eos_id=2, pad_id=1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sentencepiece.bpe.model").write_bytes(model)
    (folder / "vocab.json").write_text(json.dumps(_pieces(model), ensure_ascii=False), "utf-8")
    # As in the published tokenizers, the language tokens are special (dropped when decoding).
    languages = [f"__{code}__" for code in FAIRSEQ_LANGUAGE_CODES["m2m100"]]
    tokenizer = M2M100Tokenizer(
        str(folder / "vocab.json"),
        str(folder / "sentencepiece.bpe.model"),
        additional_special_tokens=languages,
    )
    torch.manual_seed(0)
    # The language tokens and the "made-up words" come after the sentencepiece vocabulary.
    last_language = max(tokenizer.lang_token_to_id.values())
    config = M2M100Config(
        vocab_size=last_language + 1 + tokenizer.num_madeup_words,
        max_position_embeddings=512,
        **TINY,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
    )
    M2M100ForConditionalGeneration(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


TINY_VITS: dict[str, object] = {
    "hidden_size": 16,
    "num_hidden_layers": 1,
    "num_attention_heads": 2,
    "ffn_dim": 32,
    "flow_size": 16,
    "spectrogram_bins": 17,
    "upsample_initial_channel": 32,
    "upsample_rates": [8, 8],
    "upsample_kernel_sizes": [16, 16],
    "resblock_kernel_sizes": [3],
    "resblock_dilation_sizes": [[1, 3]],
    "prior_encoder_num_flows": 1,
    "prior_encoder_num_wavenet_layers": 1,
    "posterior_encoder_num_wavenet_layers": 1,
    "duration_predictor_num_flows": 1,
    "duration_predictor_filter_channels": 16,
    "depth_separable_num_layers": 1,
    "speaking_rate": 0.5,
}
VIETNAMESE_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵfjwz"
)


def tiny_vits(
    folder: Path, letters: str = VIETNAMESE_LETTERS, uroman: bool = False, full_size: bool = False
) -> Path:
    """An MMS-style VITS voice: a character vocabulary and a tiny random network (or one of
    the published MMS size, ``full_size``, for timing)."""
    folder.mkdir(parents=True, exist_ok=True)
    symbols = ["<pad>", *sorted(set(letters)), " ", "'", "-", ",", "."]
    (folder / "vocab.json").write_text(
        json.dumps({symbol: index for index, symbol in enumerate(symbols)}), "utf-8"
    )
    tokenizer = VitsTokenizer(
        str(folder / "vocab.json"),
        add_blank=True,
        normalize=True,
        phonemize=False,  # as in the published MMS tokenizers
        is_uroman=uroman,
    )
    torch.manual_seed(0)
    sizes = {} if full_size else TINY_VITS
    config = VitsConfig(vocab_size=len(symbols), sampling_rate=16_000, **sizes)
    VitsModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
