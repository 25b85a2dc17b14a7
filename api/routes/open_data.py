"""Open data: every public site as GeoJSON and as CSV, and the Data Package that describes
the CSV and states the licence (see ``api.open_data``)."""

import csv
import io
import json
from email.utils import format_datetime
from typing import Any

from fastapi import APIRouter, Response

from api.deps import SettingsDep, StoreDep
from api.open_data import LICENCE, Snapshot, csv_rows, data_package, feature_collection

router = APIRouter(prefix="/api/open", tags=["open data"])

CSV_FILENAME = "heritage-guide-sites.csv"
# Shared caches may keep the files a little; a change shows within five minutes.
CACHE_CONTROL = "public, max-age=300"


def _content(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}}}


def _headers(snapshot: Snapshot, base_url: str) -> dict[str, str]:
    headers = {
        "Cache-Control": CACHE_CONTROL,
        "Link": f'<{LICENCE["path"]}>; rel="license", '
        f'<{base_url.rstrip("/")}/api/open/datapackage.json>; rel="describedby"',
    }
    if snapshot.updated:
        headers["Last-Modified"] = format_datetime(snapshot.updated, usegmt=True)
    return headers


@router.get("/sites.geojson", response_class=Response, responses=_content("application/geo+json"))
def sites_geojson(store: StoreDep, settings: SettingsDep) -> Response:
    """Every public site as a GeoJSON FeatureCollection (RFC 7946), with its licence."""
    snapshot = Snapshot.read(store)
    body = json.dumps(feature_collection(snapshot, settings.public_base_url), ensure_ascii=False)
    return Response(
        body,
        media_type="application/geo+json",
        headers=_headers(snapshot, settings.public_base_url),
    )


@router.get("/sites.csv", response_class=Response, responses=_content("text/csv"))
def sites_csv(store: StoreDep, settings: SettingsDep) -> Response:
    """Every public site, one row each (UTF-8, with a header); columns in datapackage.json."""
    snapshot = Snapshot.read(store)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(csv_rows(snapshot, settings.public_base_url))
    headers = _headers(snapshot, settings.public_base_url)
    headers["Content-Disposition"] = f'attachment; filename="{CSV_FILENAME}"'
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/datapackage.json")
def sites_data_package(store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """The CSV's Frictionless Data Package: each column described, the licence, the date."""
    base_url = settings.public_base_url.rstrip("/")
    return data_package(Snapshot.read(store), base_url, f"{base_url}/api/open/sites.csv")
