"""The guide's icon for phones' home screens: a Cham tower's outline, in the pages' colours.

Drawn with Pillow from the shapes below (on a 100-unit square), at the sizes the web app
manifest lists; the maskable variant keeps the tower inside the circle any mask leaves.
"""

import io
from functools import cache

from PIL import Image, ImageDraw

ACCENT = "#8a3b12"  # the pages' bar (api/static/guide.css)
PAPER = "#fbf8f3"
SIZES = (192, 512)
# Stacked storeys narrowing upwards to a finial, on a plinth: the shape of the towers of
# Bánh Ít, Dương Long or Po Klong Garai, without any one's details.
TOWER = (
    [(28, 84), (72, 88)],  # plinth
    [(34, 50), (66, 84)],  # main storey
    [(38, 38), (62, 50)],
    [(42, 28), (58, 38)],
    [(45, 20), (55, 28)],
)
FINIAL = [(45, 20), (50, 10), (55, 20)]
DOOR = [(45, 64), (55, 84)]
SUPERSAMPLE = 4


@cache
def app_icon_png(size: int, maskable: bool = False) -> bytes:
    """The icon as a square PNG of ``size`` pixels."""
    if size not in SIZES:
        raise ValueError(f"the icon is made at {SIZES} pixels, not {size}")
    canvas = size * SUPERSAMPLE
    # A maskable icon may be cut to a circle of 80 % of its width: the tower stays inside.
    scale = canvas / 100 * (0.72 if maskable else 0.9)
    offset = (canvas - 100 * scale) / 2

    def at(points: list[tuple[int, int]]) -> list[tuple[float, float]]:
        return [(offset + x * scale, offset + y * scale) for x, y in points]

    image = Image.new("RGB", (canvas, canvas), ACCENT)
    draw = ImageDraw.Draw(image)
    for storey in TOWER:
        draw.rectangle(at(storey), fill=PAPER)
    draw.polygon(at(FINIAL), fill=PAPER)
    (left, top), (right, bottom) = at(DOOR)
    draw.rectangle([(left, top + (right - left) / 2), (right, bottom)], fill=ACCENT)
    draw.pieslice([(left, top), (right, top + (right - left))], 180, 360, fill=ACCENT)
    buffer = io.BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
