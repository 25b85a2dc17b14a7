"""Photos staff upload: checked, turned upright, stripped of every metadata, made in the sizes
the pages ask for (WebP and a JPEG fallback) by Pillow, and kept under the photo folder.

A file is refused with the reason before anything is kept: too many bytes or pixels (413),
or not a JPEG, PNG, WebP or HEIC image Pillow can decode (415). The sizes of a photo are
written into a folder of their own beside the final one and moved into place in one step,
so a failure leaves nothing half-written; the folder is named by the upload's digest, so
the same file uploaded twice is kept once and no file ever changes.
"""

import hashlib
import io
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pillow_heif
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from api.staff.auth import StaffRefused
from sites_data.photos import PHOTO_FORMATS, looks_like_panorama

pillow_heif.register_heif_opener()
# The pixel limit is checked from the header, before decoding (see ``_opened``).
Image.MAX_IMAGE_PIXELS = None

CHUNK_BYTES = 1024 * 1024
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC"}
# Widths made for the page's srcset; a panorama also gets the large ones its viewer needs
# (4096 px is the widest texture every phone's WebGL takes).
PHOTO_WIDTHS = (320, 640, 960, 1280, 1920)
PANORAMA_WIDTHS = (640, 2048, 4096)
SAVE_FORMATS = {"webp": "WEBP", "jpg": "JPEG"}
SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "webp": {"quality": 80, "method": 4},
    "jpg": {"quality": 82, "optimize": True, "progressive": True},
}
DIGEST_CHARS = 32


class PhotoRefused(StaffRefused):
    """An upload that is not kept: too large (413) or not an image the guide reads (415)."""

    location = ("body", "photo")


@dataclass(frozen=True)
class KeptPhoto:
    """A photo whose sizes are on disk: what the site document records of it."""

    id: str
    width: int
    height: int
    widths: list[int]
    source_format: str
    source_bytes: int


def _copy_limited(source: BinaryIO, target: Path, filename: str, max_bytes: int) -> str:
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as copy:
        while chunk := source.read(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise PhotoRefused(
                    413, "photo_too_large", filename=filename, megabytes=f"{max_bytes / 1e6:g}"
                )
            digest.update(chunk)
            copy.write(chunk)
    if size == 0:
        raise PhotoRefused(415, "photo_empty", filename=filename)
    return digest.hexdigest()


def _opened(path: Path, filename: str, max_pixels: int) -> tuple[Image.Image, str]:
    """The decoded image and its format; the pixels are counted before they are decoded."""
    try:
        image = Image.open(path)
    except (UnidentifiedImageError, OSError, ValueError):
        raise PhotoRefused(415, "photo_not_an_image", filename=filename) from None
    kind = ACCEPTED_FORMATS.get(image.format or "")
    if kind is None:
        raise PhotoRefused(415, "photo_format", filename=filename, format=image.format)
    width, height = image.size
    if width * height > max_pixels:
        raise PhotoRefused(
            413,
            "photo_too_many_pixels",
            filename=filename,
            size=f"{width}×{height}",
            megapixels=f"{max_pixels / 1e6:g}",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning) as error:
        raise PhotoRefused(415, "photo_damaged", filename=filename, reason=str(error)) from None
    return image, kind


def _in_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB, the colours browsers assume once the profile is stripped."""
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    if profile and image.mode in ("RGB", "CMYK", "L"):
        try:
            converted = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None
        if converted is not None:
            return converted
    return image.convert("RGB")


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding nothing but the pixels: no EXIF (GPS), XMP, IPTC, profile or
    comment can reach the files made from it."""
    return Image.frombytes("RGB", image.size, image.tobytes())


def _widths(width: int, panorama: bool) -> list[int]:
    ladder = PANORAMA_WIDTHS if panorama else PHOTO_WIDTHS
    largest = min(width, ladder[-1])
    return [*(step for step in ladder if step < largest), largest]


class PhotoLibrary:
    """The photo files, one folder per photo: ``{folder}/{id}/{width}.{webp,jpg}``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def file_path(self, photo_id: str, name: str) -> Path:
        return self.folder / photo_id / name

    def keep(
        self,
        source: BinaryIO,
        filename: str,
        max_bytes: int,
        max_pixels: int,
        panorama: bool | None,
    ) -> tuple[KeptPhoto, bool]:
        """Check the upload and make its sizes; returns the photo and whether it looks like a
        360° panorama. With ``panorama`` None, a photo shaped like one is refused until staff
        say whether it is one."""
        self.folder.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".upload-", dir=self.folder))
        try:
            original = work / "original"
            file_digest = _copy_limited(source, original, filename, max_bytes)
            image, kind = _opened(original, filename, max_pixels)
            upright = _pixels_only(_in_srgb(ImageOps.exif_transpose(image)))
            image.close()
            width, height = upright.size
            shaped_like_panorama = looks_like_panorama(width, height)
            if panorama is None and shaped_like_panorama:
                raise PhotoRefused(422, "photo_panorama_unsaid", size=f"{width}×{height}")
            if panorama and not shaped_like_panorama:
                raise PhotoRefused(422, "photo_not_a_panorama", size=f"{width}×{height}")
            widths = _widths(width, bool(panorama))
            # A panorama's sizes differ from a flat photo's: each has its own folder.
            kind_of_photo = "panorama" if panorama else "photo"
            photo_id = hashlib.sha256(f"{file_digest}:{kind_of_photo}".encode()).hexdigest()
            photo_id = photo_id[:DIGEST_CHARS]
            made = work / "sizes"
            made.mkdir()
            # Largest first, each size made from the one before it: a fraction of the work of
            # resizing the whole photo every time, and as sharp.
            sized = upright
            for step in reversed(widths):
                if step != sized.width:
                    size = (step, max(1, round(height * step / width)))
                    sized = sized.resize(size, Image.Resampling.LANCZOS)
                for fmt in PHOTO_FORMATS:
                    sized.save(made / f"{step}.{fmt}", SAVE_FORMATS[fmt], **SAVE_OPTIONS[fmt])
            self._move_into_place(made, photo_id)
            largest = widths[-1]
            kept = KeptPhoto(
                id=photo_id,
                width=largest,
                height=max(1, round(height * largest / width)),
                widths=widths,
                source_format=kind,
                source_bytes=original.stat().st_size,
            )
            return kept, shaped_like_panorama
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _move_into_place(self, made: Path, photo_id: str) -> None:
        target = self.folder / photo_id
        try:
            os.rename(made, target)
        except OSError:
            # Kept already (the same file, uploaded before or at the same moment): the
            # folder's content is the same, as its name is the upload's digest.
            if not target.is_dir():
                raise
