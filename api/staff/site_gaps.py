"""What a site still lacks before it is complete, for the staff's list of sites.

Languages without a description or narration, machine texts no person has reviewed,
opening hours or tickets not known or not confirmed, and languages with no narration audio.
"""

from collections.abc import Collection

from api.staff.field_labels import LANGUAGE_NAMES
from api.staff.listing import machine_texts
from api.staff.text import StaffMessage
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import Site

UNSETTLED = ("unknown", "reported")  # statuses whose figures no one has confirmed


def _languages(codes: list[str]) -> str:
    return ", ".join(LANGUAGE_NAMES[code] for code in codes)


def site_gaps(site: Site, audio_languages: Collection[str]) -> list[StaffMessage]:
    """Each thing the site lacks, in words; an empty list when it lacks nothing."""
    gaps = []
    untranslated = [
        code
        for code in LANGUAGE_CODES
        if code not in site.description or code not in site.narration
    ]
    if untranslated:
        gaps.append(StaffMessage("gap_languages", {"languages": _languages(untranslated)}))
    if to_review := machine_texts(site):
        gaps.append(StaffMessage("gap_review", {"count": len(to_review)}))
    if site.opening_hours.status in UNSETTLED:
        gaps.append(StaffMessage(f"gap_hours_{site.opening_hours.status}"))
    if site.tickets.status in UNSETTLED:
        gaps.append(StaffMessage(f"gap_tickets_{site.tickets.status}"))
    silent = [code for code in LANGUAGE_CODES if code not in audio_languages]
    if len(silent) == len(LANGUAGE_CODES):
        gaps.append(StaffMessage("gap_no_audio"))
    elif silent:
        gaps.append(StaffMessage("gap_audio", {"languages": _languages(silent)}))
    return gaps
