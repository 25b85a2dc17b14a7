"""The map's icons as CSS: each SVG inlined once as a mask, coloured by the stylesheet.

A category's marker is a pin of its colour holding its icon; the layer list shows the same.
The page loads no icon font: the eight icons weigh a few kilobytes, where Font Awesome's
font and stylesheet weighed 232 KB.
"""

from functools import cache
from pathlib import Path
from urllib.parse import quote

from sites_data.schema import Category

ICONS_DIR = Path(__file__).with_name("icons")

# The colour and icon (a file in icons/) of each category; white icons on these colours
# keep a contrast of at least 4.5:1.
CATEGORY_ICONS: dict[Category, tuple[str, str]] = {
    Category.CHAM_TOWER: ("#a23336", "gopuram"),
    Category.MUSEUM: ("#1f6fb2", "building-columns"),
    Category.PAGODA: ("#b0561a", "vihara"),
    Category.HISTORIC_SITE: ("#5b396b", "monument"),
    Category.CRAFT_VILLAGE: ("#436978", "store"),
    Category.BEACH: ("#0d7490", "umbrella-beach"),
    Category.NATURE: ("#3d7a1e", "tree"),
    Category.LANDSCAPE: ("#5f6b1f", "mountain-sun"),
}

_BASE_CSS = """
.icon { display: inline-block; width: 1em; height: 1em; background: currentColor;
  -webkit-mask: var(--icon) center / contain no-repeat;
  mask: var(--icon) center / contain no-repeat; }
.site-marker { background: none; border: 0; }
.site-marker .pin { position: absolute; left: 2px; top: 0; width: 30px; height: 30px;
  border-radius: 50% 50% 50% 0; transform: rotate(-45deg); border: 2px solid #fff;
  box-shadow: 0 1px 4px rgba(0, 0, 0, .5); box-sizing: border-box; }
.site-marker .pin .icon { transform: rotate(45deg); font-size: 15px; margin: 5.5px; color: #fff; }
.site-marker:focus-visible .pin { outline: 3px solid #111; }
.legend-icon { display: inline-flex; width: 1.5em; height: 1.5em; border-radius: 50%;
  align-items: center; justify-content: center; color: #fff; vertical-align: middle; }
.legend-icon .icon { font-size: .85em; }
"""


def _data_url(name: str) -> str:
    svg = (ICONS_DIR / f"{name}.svg").read_text("utf-8")
    # The licence comment stays in icons/; the page names it in README and the attribution.
    if "<!--" in svg:
        head, _, rest = svg.partition("<!--")
        svg = head + rest.partition("-->")[2]
    return "data:image/svg+xml," + quote(svg.strip(), safe=" =:/'<>")


@cache
def icons_css() -> str:
    """The stylesheet of the pins, the layer list's icons and the "where am I?" icon."""
    rules = [_BASE_CSS, f'.icon-here {{ --icon: url("{_data_url("here")}"); }}']
    for category, (colour, icon) in CATEGORY_ICONS.items():
        rules.append(f'.icon-{category.value} {{ --icon: url("{_data_url(icon)}"); }}')
        rules.append(f".category-{category.value} {{ background: {colour}; }}")
    return "\n".join(rules)
