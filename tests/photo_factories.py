"""Photos the tests make with Pillow: as a phone writes them (EXIF with a GPS position, a
rotation flag, XMP, a colour profile), panoramas, HEIC, and files that are not photos."""

import io

import pillow_heif
from PIL import Image, ImageCms, ImageDraw
from PIL.ExifTags import GPS, IFD, Base

# Where the test phone says it was: Tháp Đôi, Quy Nhơn.
GPS_POSITION = (13.7856, 109.2196)
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Test Phone Owner</dc:creator>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def _degrees(value: float) -> tuple[float, float, float]:
    minutes, seconds = divmod(abs(value) * 3600, 60)
    degrees, minutes = divmod(minutes, 60)
    return (degrees, minutes, round(seconds, 2))


def two_colour_image(width: int, height: int) -> Image.Image:
    """Left half red, right half blue: which way is up can be read from the pixels."""
    image = Image.new("RGB", (width, height), (220, 30, 30))
    ImageDraw.Draw(image).rectangle((width // 2, 0, width, height), fill=(30, 30, 220))
    return image


def phone_exif(orientation: int = 6) -> Image.Exif:
    """EXIF as a phone writes it: make, model, time, the rotation flag and a GPS position."""
    exif = Image.Exif()
    exif[Base.Make] = "TestPhone"
    exif[Base.Model] = "TestPhone 15 Pro"
    exif[Base.DateTime] = "2026:11:30 09:15:00"
    exif[Base.Orientation] = orientation
    lat, lon = GPS_POSITION
    exif.get_ifd(IFD.GPSInfo).update(
        {
            GPS.GPSLatitudeRef: "N",
            GPS.GPSLatitude: _degrees(lat),
            GPS.GPSLongitudeRef: "E",
            GPS.GPSLongitude: _degrees(lon),
        }
    )
    return exif


def phone_jpeg(width: int = 800, height: int = 400, orientation: int = 6) -> bytes:
    """A JPEG stored sideways with orientation 6 (turn 90° clockwise to view), as phones do,
    with EXIF (GPS), XMP, a comment and an sRGB profile."""
    output = io.BytesIO()
    two_colour_image(width, height).save(
        output,
        "JPEG",
        quality=90,
        exif=phone_exif(orientation),
        xmp=XMP,
        comment=b"taken at the tower",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return output.getvalue()


def image_bytes(width: int, height: int, fmt: str, **options: object) -> bytes:
    output = io.BytesIO()
    image = two_colour_image(width, height)
    if fmt == "HEIF":
        pillow_heif.register_heif_opener()
        image.save(output, "HEIF", exif=phone_exif(1), quality=60)
    else:
        image.save(output, fmt, **options)
    return output.getvalue()


def transparent_png(width: int = 300, height: int = 200) -> bytes:
    output = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 0, 0)).save(output, "PNG")
    return output.getvalue()


def decompression_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG that claims 900 million pixels: its header says so, its data are zeros."""
    output = io.BytesIO()
    Image.new("1", (width, height)).save(output, "PNG", optimize=True)
    return output.getvalue()
