"""QR codes that open a site's page, and the printable A4 poster that carries one.

Pure functions: they take a site and a URL and return the bytes of a file.
"""

import hashlib
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import PathPaintRule

from sites_data.languages import LANGUAGES
from sites_data.schema import Site

# Q restores a symbol with up to 25 % of it damaged: posters outdoors get scratched and dirty.
# Segno would otherwise raise the level when the data leaves room; the level is part of the
# contract, so it stays Q.
ERROR_CORRECTION = "Q"
QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires
SVG_SCALE = 10  # user units per module, so that a viewer shows the SVG at a useful size
DEFAULT_PNG_SCALE = 10  # pixels per module
# The quiet zone must be light wherever the code is placed: never a transparent background.
COLOURS = {"dark": "#000", "light": "#fff"}


def qr_url(base_url: str, key: str) -> str:
    """The short address a site's QR code opens: ``{base_url}/s/{key}``."""
    return f"{base_url.rstrip('/')}/s/{key}"


def qr_code(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=ERROR_CORRECTION, boost_error=False)


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=SVG_SCALE, border=QUIET_ZONE, title=url, **COLOURS)
    return buffer.getvalue()


def qr_svg_inline(url: str) -> str:
    """The QR code as an ``<svg>`` element to place in a page, scalable to any size."""
    svg: str = qr_code(url).svg_inline(
        scale=SVG_SCALE, border=QUIET_ZONE, title=url, omitsize=True, **COLOURS
    )
    return svg


def qr_png(url: str, scale: int = DEFAULT_PNG_SCALE) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=QUIET_ZONE, **COLOURS)
    return buffer.getvalue()


@dataclass(frozen=True)
class PosterFont:
    family: str
    style: str
    path: Path
    debian_package: str
    collection_face: int = 0


_NOTO = Path("/usr/share/fonts/truetype/noto")
_NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
# Noto Sans CJK collections hold the JP, KR, SC, TC and HK faces, in this order. A Han
# character is drawn differently in each region, so each language gets its own face.
POSTER_FONTS = (
    PosterFont("latin", "", _NOTO / "NotoSans-Regular.ttf", "fonts-noto-core"),
    PosterFont("latin", "B", _NOTO / "NotoSans-Bold.ttf", "fonts-noto-core"),
    PosterFont("cjk-ja", "", _NOTO_CJK, "fonts-noto-cjk", collection_face=0),
    PosterFont("cjk-ko", "", _NOTO_CJK, "fonts-noto-cjk", collection_face=1),
    PosterFont("cjk-zh", "", _NOTO_CJK, "fonts-noto-cjk", collection_face=2),
)
FONT_FAMILY_OF_LANGUAGE = {"ja": "cjk-ja", "ko": "cjk-ko", "zh": "cjk-zh"}
DEFAULT_FONT_FAMILY = "latin"


class PosterFontMissing(RuntimeError):
    """A font the poster needs is not installed; the message names the Debian package."""

    def __init__(self, missing: list[PosterFont]) -> None:
        self.missing = missing
        files = ", ".join(sorted({str(font.path) for font in missing}))
        packages = " ".join(sorted({font.debian_package for font in missing}))
        super().__init__(
            f"cannot print QR posters: the font file(s) {files} are missing; "
            f"install the Debian package(s) with `apt-get install {packages}`"
        )


def check_poster_fonts() -> None:
    """Raise PosterFontMissing, naming every missing font and its package, before any work."""
    missing = [font for font in POSTER_FONTS if not font.path.is_file()]
    if missing:
        raise PosterFontMissing(missing)


# A4 portrait, in millimetres.
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
MARGIN = 15.0
QR_MAX_SIZE = 140.0
NAME_VI_SIZE, NAME_EN_SIZE = 32.0, 20.0
URL_SIZE = 13.0
URL_ROW_HEIGHT = 8.0
CALL_SIZE = 15.0
CALL_ROW_HEIGHT = 10.0
CALL_COLUMNS = 2
GREY = (90, 90, 90)


def _nfc(text: str) -> str:
    # The poster fonts hold precomposed Vietnamese letters; without text shaping, a letter
    # followed by a combining mark would not be placed correctly.
    return unicodedata.normalize("NFC", text)


def _dark_runs(row: Iterable[int]) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of dark modules in one row."""
    column = 0
    for dark, run in groupby(row):
        length = len(list(run))
        if dark:
            yield column, length
        column += length


def _draw_qr(pdf: FPDF, code: segno.QRCode, x: float, y: float, size: float) -> None:
    """The symbol with its quiet zone, as one vector path (no seams between modules)."""
    modules, _ = code.symbol_size(scale=1, border=QUIET_ZONE)
    module = size / modules
    with pdf.new_path(paint_rule=PathPaintRule.FILL_NONZERO) as path:
        path.style.fill_color = "#000000"
        for row, dark in enumerate(code.matrix_iter(scale=1, border=QUIET_ZONE)):
            for start, length in _dark_runs(dark):
                path.rectangle(x + start * module, y + row * module, length * module, module)


def _fitted_cell(pdf: FPDF, text: str, width: float, size: float) -> None:
    """One line of centred text, made smaller if it would not fit in ``width``."""
    pdf.set_font_size(size)
    text_width = pdf.get_string_width(text)
    if text_width > width:
        pdf.set_font_size(size * width / text_width)
    pdf.cell(width, CALL_ROW_HEIGHT, text, align="C")


# A change to how posters are drawn (this module) must not let an older drawing be served.
_POSTER_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def poster_digest(site: Site, url: str) -> str:
    """A hash of everything a poster shows and of how it is drawn: equal hashes, equal posters."""
    shown = {
        "names": [site.names["vi"], site.names["en"]],
        "url": url,
        "calls": [language.qr_call_to_action for language in LANGUAGES],
        "code": _POSTER_CODE,
    }
    return hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()


def poster_pdf(site: Site, url: str) -> bytes:
    """An A4 poster: the site's names, its QR code, the address and "scan to listen"."""
    check_poster_fonts()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"{_nfc(site.names['vi'])} – {_nfc(site.names['en'])}")
    pdf.set_lang("vi")
    pdf.set_creator("Heritage Guide")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    for font in POSTER_FONTS:
        pdf.add_font(
            font.family, font.style, font.path, collection_font_number=font.collection_face
        )
    # A symbol Noto Sans lacks in a name comes from the CJK face rather than as an empty box.
    pdf.set_fallback_fonts([FONT_FAMILY_OF_LANGUAGE["zh"]], exact_match=False)
    pdf.add_page()
    text_width = PAGE_WIDTH - 2 * MARGIN

    pdf.set_y(MARGIN)
    pdf.set_font(DEFAULT_FONT_FAMILY, "B", NAME_VI_SIZE)
    pdf.multi_cell(text_width, NAME_VI_SIZE * 0.5, _nfc(site.names["vi"]), align="C")
    pdf.ln(2)
    pdf.set_font(DEFAULT_FONT_FAMILY, "", NAME_EN_SIZE)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(text_width, NAME_EN_SIZE * 0.5, _nfc(site.names["en"]), align="C")
    names_bottom = pdf.get_y() + 6

    call_rows = -(-len(LANGUAGES) // CALL_COLUMNS)
    calls_top = PAGE_HEIGHT - MARGIN - call_rows * CALL_ROW_HEIGHT
    url_top = calls_top - 2 * URL_ROW_HEIGHT
    qr_size = min(QR_MAX_SIZE, url_top - names_bottom, text_width)
    qr_top = names_bottom + (url_top - names_bottom - qr_size) / 2
    _draw_qr(pdf, qr_code(url), (PAGE_WIDTH - qr_size) / 2, qr_top, qr_size)

    pdf.set_xy(MARGIN, url_top)
    pdf.set_font(DEFAULT_FONT_FAMILY, "", URL_SIZE)
    pdf.set_text_color(0)
    pdf.cell(text_width, URL_ROW_HEIGHT, url, align="C", link=url)

    column_width = text_width / CALL_COLUMNS
    for index, language in enumerate(LANGUAGES):
        row, column = divmod(index, CALL_COLUMNS)
        pdf.set_xy(MARGIN + column * column_width, calls_top + row * CALL_ROW_HEIGHT)
        pdf.set_font(FONT_FAMILY_OF_LANGUAGE.get(language.code, DEFAULT_FONT_FAMILY), "")
        _fitted_cell(pdf, _nfc(language.qr_call_to_action), column_width, CALL_SIZE)
    return bytes(pdf.output())
