"""What the public pages show of the photos: the QR page's gallery, and the scenes of the
360° viewer for one site's panoramas or a tour's (the virtual tour)."""

from functools import cache

from api.ui import UiText
from maps.tours import Tour, read_tours, stops_in_360, virtual_tour_url
from sites_data.photos import Photo
from sites_data.schema import Site
from sites_data.store import Catalogue

# The gallery's pictures are at most this wide on the page (CSS pixels); on a phone, most
# of the screen's width.
GALLERY_SIZES = "(max-width: 40rem) 85vw, 26rem"
# The picture a browser without srcset gets: about a phone's width.
PREVIEW_WIDTH = 640


def panorama_url(key: str, photo_id: str, lang: str) -> str:
    return f"/s/{key}/360/{photo_id}?lang={lang}"


def _lang_text(found: tuple[str, str] | None) -> dict[str, str] | None:
    return None if found is None else {"lang": found[0], "text": found[1]}


def gallery(site: Site, lang: str) -> list[dict[str, object]]:
    """Each photo as the QR page's ``<picture>``: WebP and JPEG sizes, text in ``lang``."""
    items: list[dict[str, object]] = []
    for photo in site.photos:
        width = photo.nearest_width(PREVIEW_WIDTH)
        widths = [size for size in photo.widths if size <= max(width, 1280)]
        items.append(
            {
                "webp_srcset": ", ".join(f"{photo.url(w, 'webp')} {w}w" for w in widths),
                "jpg_srcset": ", ".join(f"{photo.url(w)} {w}w" for w in widths),
                "src": photo.url(width),
                "width": width,
                "height": photo.height_at(width),
                "sizes": GALLERY_SIZES,
                "alt": _lang_text(photo.alt_text(lang)),
                "caption": _lang_text(photo.caption_text(lang)),
                "credit": photo.credit,
                "licence": photo.licence,
                "panorama_url": panorama_url(site.key, photo.id, lang) if photo.panorama else "",
            }
        )
    return items


@cache
def shipped_tours() -> tuple[Tour, ...]:
    return tuple(read_tours())


def first_panorama(site: Site) -> Photo | None:
    return next((photo for photo in site.photos if photo.panorama), None)


def tours_in_360(sites: dict[str, Site], key: str) -> list[Tour]:
    """The tours through ``key`` of which two stops at least have a panorama."""
    return [
        tour
        for tour in shipped_tours()
        if key in tour.stops and len(stops_in_360(tour, sites)) >= 2
    ]


def virtual_tours(catalogue: Catalogue, key: str, lang: str) -> list[dict[str, str]]:
    """The virtual tours through this site, as links that begin at it."""
    return [
        {"name": tour.name(lang), "url": virtual_tour_url(tour.key, lang, key)}
        for tour in tours_in_360(catalogue.sites, key)
    ]


def _scene(site: Site, photo: Photo, lang: str) -> dict[str, object]:
    return {
        "id": f"{site.key}-{photo.id}",
        "site": site.key,
        "title": site.name(lang),
        "image": photo.url(photo.width),
        "alt": photo.alt_text(lang)[1],
        "credit": UiText(lang)("photo_by", credit=photo.credit, licence=photo.licence),
        "page": f"/s/{site.key}?lang={lang}",
    }


def linked(scenes: list[dict[str, object]], lang: str) -> list[dict[str, object]]:
    """Each scene with the way to the one before and after it, as the viewer's hot spots
    and the page's buttons say it."""
    t = UiText(lang)
    for index, scene in enumerate(scenes):
        before = scenes[index - 1] if index > 0 else None
        after = scenes[index + 1] if index + 1 < len(scenes) else None
        scene["previous"] = before and {
            "id": before["id"],
            "label": t("previous_stop", site=str(before["title"])),
        }
        scene["next"] = after and {
            "id": after["id"],
            "label": t("next_stop", site=str(after["title"])),
        }
    return scenes


def site_scenes(site: Site, lang: str) -> list[dict[str, object]]:
    return linked([_scene(site, photo, lang) for photo in site.photos if photo.panorama], lang)


def tour_scenes(tour: Tour, sites: dict[str, Site], lang: str) -> list[dict[str, object]]:
    """The first panorama of each stop that has one, in the tour's order."""
    scenes = []
    for stop in tour.stops:
        photo = first_panorama(sites[stop]) if stop in sites else None
        if photo is not None:
            scenes.append(_scene(sites[stop], photo, lang))
    return linked(scenes, lang)
