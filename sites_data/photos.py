"""A site's photos as the site document keeps them: who took each, under which licence, what
it shows in each language, and the sizes made of it.

The files themselves are named by the photo's ``id`` (a digest of the uploaded file) and
never change, so every revision of a site still shows the photos it had.
"""

from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from sites_data.languages import checked_language, fallback_chain

PHOTO_ID_PATTERN = r"^[0-9a-f]{32}$"
# The formats every size is kept in: WebP for browsers that read it, JPEG for the rest.
PHOTO_FORMATS = ("webp", "jpg")
PHOTOS_URL_PREFIX = "/photos/"
# Equirectangular panoramas are twice as wide as they are high (360° × 180°).
PANORAMA_RATIO = 2.0
PANORAMA_TOLERANCE = 0.01

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
PhotoTexts = dict[Annotated[str, AfterValidator(checked_language)], ShortText]


def looks_like_panorama(width: int, height: int) -> bool:
    """Twice as wide as high, like an equirectangular 360° panorama."""
    return abs(width / height - PANORAMA_RATIO) <= PANORAMA_RATIO * PANORAMA_TOLERANCE


class Photo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=PHOTO_ID_PATTERN)]
    width: int = Field(gt=0, description="Of the largest size kept, after rotation")
    height: int = Field(gt=0)
    widths: list[int] = Field(min_length=1, description="The sizes made, narrowest first")
    panorama: bool = Field(default=False, description="An equirectangular 360° panorama")
    credit: ShortText = Field(description="Who took the photo or holds its rights")
    licence: ShortText = Field(description="The licence it is shown under, e.g. CC BY 4.0")
    alt: PhotoTexts = Field(min_length=1, description="What it shows, per language")
    caption: PhotoTexts = {}

    @model_validator(mode="after")
    def _sizes_fit(self) -> Self:
        if self.widths != sorted(set(self.widths)) or self.widths[-1] != self.width:
            raise ValueError("widths: list the sizes made, narrowest first, ending at width")
        if self.panorama and not looks_like_panorama(self.width, self.height):
            raise ValueError(
                f"panorama: a 360° panorama is twice as wide as high; this photo is "
                f"{self.width}×{self.height}"
            )
        return self

    def url(self, width: int, fmt: str = "jpg") -> str:
        return f"{PHOTOS_URL_PREFIX}{self.id}/{width}.{fmt}"

    def nearest_width(self, wanted: int) -> int:
        """The size made that is nearest ``wanted``, for a picture without a srcset."""
        return min(self.widths, key=lambda width: abs(width - wanted))

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def srcset(self, fmt: str) -> str:
        return ", ".join(f"{self.url(width, fmt)} {width}w" for width in self.widths)

    def text(self, texts: dict[str, str], lang: str) -> tuple[str, str] | None:
        """``(language, text)`` of ``alt`` or ``caption`` in ``lang`` or its nearest fallback;
        else any language the photo has."""
        for code in (*fallback_chain(lang), *texts):
            if code in texts:
                return code, texts[code]
        return None

    def alt_text(self, lang: str) -> tuple[str, str]:
        found = self.text(self.alt, lang)
        assert found is not None  # alt has at least one language
        return found

    def caption_text(self, lang: str) -> tuple[str, str] | None:
        return self.text(self.caption, lang)
