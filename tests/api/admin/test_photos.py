"""Staff photos through the JSON API: kept upright with no metadata, made in their sizes,
each change a revision; every refusal names the field and says what to do."""

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from httpx import Response
from PIL import Image

from api.settings import Settings
from api.staff.audit import AuditLog
from sites_data.db import Database
from tests.api.admin.factories import StaffClient
from tests.photo_factories import (
    decompression_bomb,
    image_bytes,
    phone_jpeg,
    transparent_png,
)

URL = "/api/admin/sites/test-tower/photos"
TEXTS = {
    "credit": "Nguyễn Văn A, Bảo tàng Thử",
    "licence": "CC BY 4.0",
    "alt_vi": "Hai tháp gạch trên nền trời",
    "alt_en": "Two brick towers against the sky",
    "caption_en": "The towers from the east",
}


def upload(
    staff: StaffClient,
    content: bytes,
    filename: str = "IMG_0001.jpg",
    url: str = URL,
    **fields: str,
) -> Response:
    data = {**TEXTS, **fields}
    data = {name: value for name, value in data.items() if value is not None}
    return staff.client.post(
        url,
        files={"photo": (filename, content, "image/jpeg")},
        data=data,
        headers={"X-CSRF-Token": staff.csrf},
    )


def photo_files(settings: Settings) -> list[Path]:
    folder = Path(settings.photo_dir)
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def site_document(staff: StaffClient) -> dict[str, Any]:
    document: dict[str, Any] = staff.client.get("/api/admin/sites/test-tower").json()["site"]
    return document


def _fetch(staff: StaffClient, url: str) -> bytes:
    response = staff.client.get(url)
    assert response.status_code == 200, url
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    return response.content


def test_a_phone_photo_is_kept_upright_in_every_size_with_its_texts(
    editor: StaffClient, settings: Settings
) -> None:
    before = editor.client.get("/api/admin/sites/test-tower").headers["etag"]
    response = upload(editor, phone_jpeg(800, 400))
    assert response.status_code == 201, response.text
    saved = response.json()
    photo = saved["photo"]
    # Stored sideways (800×400) with "turn 90° clockwise": upright it is 400×800.
    assert (photo["width"], photo["height"]) == (400, 800)
    assert photo["alt"] == {"vi": TEXTS["alt_vi"], "en": TEXTS["alt_en"]}
    assert photo["caption"] == {"en": TEXTS["caption_en"]}
    assert (photo["credit"], photo["licence"]) == (TEXTS["credit"], TEXTS["licence"])
    assert response.headers["etag"] == f'"{saved["revision"]}"'
    assert saved["revision"] == int(before.strip('"')) + 1
    for fmt, mime in (("webp", "WEBP"), ("jpg", "JPEG")):
        urls = [entry.split()[0] for entry in photo["srcset"][fmt].split(", ")]
        widths = [int(entry.split()[1].rstrip("w")) for entry in photo["srcset"][fmt].split(", ")]
        assert widths == [320, 400]
        for url, width in zip(urls, widths, strict=True):
            with Image.open(io.BytesIO(_fetch(editor, url))) as image:
                assert image.format == mime
                assert image.size == (width, width * 2)
                top, bottom = (
                    image.getpixel((width // 2, 5)),
                    image.getpixel((width // 2, width * 2 - 5)),
                )
                assert top[0] > 150 > top[2], "the red half, left when stored, is on top"
                assert bottom[2] > 150 > bottom[0]
    assert site_document(editor)["photos"][0]["id"] == photo["id"]


def test_no_metadata_reaches_the_files_visitors_get(
    editor: StaffClient, settings: Settings
) -> None:
    """Read by exiftool, which knows every kind of metadata: the phone's GPS position, its
    make and model, the rotation flag, XMP, the comment and the colour profile are gone."""
    exiftool = shutil.which("exiftool")
    assert exiftool, "exiftool (Debian package libimage-exiftool-perl) reads the photos' metadata"
    source = phone_jpeg()
    original = json.loads(
        subprocess.run(
            [exiftool, "-j", "-G", "-n", "-"], input=source, capture_output=True, check=True
        ).stdout
    )[0]
    assert original["EXIF:GPSLatitude"] == pytest.approx(13.7856)
    assert upload(editor, source).status_code == 201
    files = photo_files(settings)
    assert len(files) == 4  # 320 and 400 px, WebP and JPEG
    report = json.loads(
        subprocess.run(
            [exiftool, "-j", "-G", "-a", *map(str, files)], capture_output=True, check=True
        ).stdout
    )
    for entry in report:
        groups = {name.split(":")[0] for name in entry if ":" in name}
        assert groups <= {"ExifTool", "System", "File", "JFIF", "RIFF", "Composite"}, entry
        assert not [name for name in entry if "GPS" in name or "Comment" in name], entry


@pytest.mark.parametrize(
    ("fmt", "filename", "options"),
    [
        ("PNG", "plan.png", {}),
        ("WEBP", "photo.webp", {"quality": 80}),
        ("HEIF", "IMG_0002.HEIC", {}),
    ],
)
def test_png_webp_and_heic_are_accepted(
    editor: StaffClient, fmt: str, filename: str, options: dict[str, object]
) -> None:
    response = upload(editor, image_bytes(1500, 1000, fmt, **options), filename)
    assert response.status_code == 201, response.text
    photo = response.json()["photo"]
    assert (photo["width"], photo["height"]) == (1500, 1000)
    assert photo["srcset"]["jpg"].endswith("1500w")
    assert "320w" in photo["srcset"]["webp"] and "1280w" in photo["srcset"]["webp"]


def test_a_transparent_png_is_shown_on_white(editor: StaffClient) -> None:
    response = upload(editor, transparent_png(), "logo.png")
    assert response.status_code == 201
    jpeg = _fetch(editor, response.json()["photo"]["largest"])
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=3)


def _refusal(response: Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    if status == 422:
        (error,) = body["detail"]
        return f"{'.'.join(map(str, error['loc']))}: {error['msg']}"
    detail: str = body["detail"]
    return detail


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"credit": ""}, "body.credit: The credit is missing: name who took the photo"),
        ({"licence": "  "}, "body.licence: The licence is missing: give the licence"),
        ({"alt_vi": "", "alt_en": ""}, "body.alt_vi: The description is missing"),
        ({"caption_fr": "x" * 301}, "body.caption_fr: caption_fr: String should have at most 300"),
    ],
)
def test_missing_or_wrong_texts_are_refused_naming_the_field(
    editor: StaffClient, settings: Settings, fields: dict[str, str], said: str
) -> None:
    revision = editor.client.get("/api/admin/sites/test-tower").headers["etag"]
    field, _, message = said.partition(": ")
    refusal = _refusal(upload(editor, phone_jpeg(), **fields), 422)
    assert refusal.startswith(f"{field}: ") and message in refusal
    assert editor.client.get("/api/admin/sites/test-tower").headers["etag"] == revision
    assert photo_files(settings) == []


@pytest.mark.parametrize(
    ("content", "filename", "status", "said"),
    [
        (b"GIF89a" + b"\x00" * 100, "animation.gif", 415, "animation.gif is not an image"),
        (
            b"%PDF-1.7\n" * 50,
            "brochure.pdf",
            415,
            "brochure.pdf is not an image the guide can read; upload a JPEG, PNG, WebP or HEIC",
        ),
        (b"", "empty.jpg", 415, "empty.jpg is empty"),
        (phone_jpeg()[:3000], "cut.jpg", 415, "cut.jpg is damaged or cut short"),
        (
            decompression_bomb(),
            "bomb.png",
            413,
            "bomb.png is 30000×30000 pixels, more than the 64 million",
        ),
    ],
)
def test_what_is_not_a_usable_photo_is_refused_with_the_reason(
    editor: StaffClient, settings: Settings, content: bytes, filename: str, status: int, said: str
) -> None:
    assert said in _refusal(upload(editor, content, filename), status)
    assert photo_files(settings) == []
    assert "photo" not in [
        entry.action.value for entry in AuditLog(Database.open(settings.database_url)).entries()
    ]


def test_a_gif_is_refused_naming_its_format(editor: StaffClient) -> None:
    gif = io.BytesIO()
    Image.new("RGB", (20, 20)).save(gif, "GIF")
    said = _refusal(upload(editor, gif.getvalue(), "logo.gif"), 415)
    assert "logo.gif is a GIF image; save it as JPEG, PNG, WebP or HEIC" in said


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(
    editor: StaffClient, settings: Settings
) -> None:
    big = b"\xff\xd8" + b"\x00" * int(settings.photo_max_mb * 1_000_000 + 70_000)
    said = _refusal(upload(editor, big, "huge.jpg"), 413)
    assert f"larger than {settings.photo_max_mb:g} MB" in said
    assert photo_files(settings) == []


def test_a_panorama_must_be_said_and_then_gets_the_viewers_sizes(editor: StaffClient) -> None:
    panorama = image_bytes(2400, 1200, "JPEG")
    said = _refusal(upload(editor, panorama, "pano.jpg"), 422)
    assert said.startswith("body.photo: ")
    assert "This photo (2400×1200) is twice as wide as high, like a 360° panorama" in said
    response = upload(editor, panorama, "pano.jpg", panorama="true")
    assert response.status_code == 201, response.text
    photo = response.json()["photo"]
    assert photo["panorama"] is True and response.json()["shaped_like_panorama"] is True
    # The viewer's sizes: 2048 px for most phones, and the whole photo (up to 4096).
    assert [entry.split()[1] for entry in photo["srcset"]["jpg"].split(", ")] == [
        "640w",
        "2048w",
        "2400w",
    ]
    flat = upload(editor, panorama, "pano.jpg", panorama="false")
    assert flat.status_code == 201 and flat.json()["photo"]["panorama"] is False
    said = _refusal(upload(editor, phone_jpeg(), panorama="true"), 422)
    assert (
        "a 360° (equirectangular) panorama is twice as wide as high; this photo is 400×800"
        in said.lower()
    )


def test_reorder_replace_and_remove_each_make_a_revision(
    editor: StaffClient, settings: Settings
) -> None:
    first = upload(editor, phone_jpeg(), "first.jpg").json()
    second = upload(editor, image_bytes(900, 600, "PNG"), "second.png").json()
    first_id, second_id = first["photo"]["id"], second["photo"]["id"]
    etag = f'"{second["revision"]}"'
    headers = {"X-CSRF-Token": editor.csrf, "If-Match": etag}

    stale = editor.client.put(
        URL, json={"order": [second_id, first_id]}, headers={**headers, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    wrong = editor.client.put(URL, json={"order": [second_id]}, headers=headers)
    assert "must list each of the site's photos exactly once" in _refusal(wrong, 422)
    reordered = editor.client.put(URL, json={"order": [second_id, first_id]}, headers=headers)
    assert reordered.status_code == 200
    assert [photo["id"] for photo in reordered.json()] == [second_id, first_id]

    etag = reordered.headers["etag"]
    replaced = editor.client.post(
        f"{URL}/{first_id}",
        data={**TEXTS, "alt_en": "The towers at dusk", "credit": "Trần Thị B"},
        files={"photo": ("dusk.webp", image_bytes(1000, 750, "WEBP"), "image/webp")},
        headers={"X-CSRF-Token": editor.csrf, "If-Match": etag},
    )
    assert replaced.status_code == 200, replaced.text
    new_id = replaced.json()["photo"]["id"]
    assert new_id != first_id and replaced.json()["photo"]["credit"] == "Trần Thị B"

    texts_only = editor.client.post(
        f"{URL}/{new_id}",
        data={**TEXTS, "alt_en": "The towers at dusk, from the east"},
        headers={"X-CSRF-Token": editor.csrf, "If-Match": replaced.headers["etag"]},
    )
    assert texts_only.status_code == 200, texts_only.text
    assert texts_only.json()["photo"]["id"] == new_id

    removed = editor.client.delete(
        f"{URL}/{second_id}",
        headers={"X-CSRF-Token": editor.csrf, "If-Match": texts_only.headers["etag"]},
    )
    assert removed.status_code == 200
    assert [photo["id"] for photo in removed.json()] == [new_id]

    revisions = editor.client.get("/api/admin/sites/test-tower/revisions").json()
    actions = [revision["action"] for revision in revisions][-6:]
    assert actions == [
        "photo_add",
        "photo_add",
        "photo_order",
        "photo_replace",
        "photo_replace",
        "photo_remove",
    ]
    assert revisions[-1]["changes"][0]["field"] == "photos"
    # The files of every revision stay, so an earlier one restored shows its photos again.
    restore = editor.client.post(
        "/api/admin/sites/test-tower/restore",
        json={"revision": revisions[-4]["number"]},
        headers={"X-CSRF-Token": editor.csrf, "If-Match": removed.headers["etag"]},
    )
    assert restore.status_code == 200
    restored = restore.json()["site"]["photos"]
    assert [photo["id"] for photo in restored] == [second_id, first_id]
    for photo in restored:
        _fetch(editor, f"/photos/{photo['id']}/{photo['width']}.webp")


def test_photo_changes_need_a_session_and_the_csrf_token(
    anonymous: Any, editor: StaffClient, settings: Settings
) -> None:
    files = {"photo": ("a.jpg", phone_jpeg(), "image/jpeg")}
    assert anonymous.post(URL, files=files, data=TEXTS).status_code == 401
    forged = editor.client.post(URL, files=files, data=TEXTS, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    assert photo_files(settings) == []


def test_an_unknown_photo_file_is_not_found(editor: StaffClient) -> None:
    assert editor.client.get(f"/photos/{'0' * 32}/320.jpg").status_code == 404
    assert editor.client.get("/photos/../../etc/passwd").status_code == 404


def test_the_staff_page_says_why_a_photo_is_refused_in_the_staff_language(
    editor: StaffClient, settings: Settings
) -> None:
    response = editor.client.post(
        "/admin/sites/test-tower/photos?lang=en",
        files={"photo": ("IMG_0003.jpg", phone_jpeg(), "image/jpeg")},
        data={**TEXTS, "credit": "", "based_on": "1", "csrf_token": editor.csrf},
    )
    assert response.status_code == 422
    assert "Thiếu người chụp (credit)" in response.text
    assert photo_files(settings) == []


def test_the_staff_page_adds_moves_and_removes_photos(editor: StaffClient) -> None:
    def post(path: str, **data: str) -> Response:
        form = {"csrf_token": editor.csrf, "based_on": revision(), **data}
        return editor.client.post(f"/admin/sites/test-tower/photos{path}?lang=en", data=form)

    def revision() -> str:
        return str(editor.client.get("/api/admin/sites/test-tower").headers["etag"].strip('"'))

    for name, content in (("a.jpg", phone_jpeg()), ("b.png", image_bytes(600, 400, "PNG"))):
        added = editor.client.post(
            "/admin/sites/test-tower/photos?lang=en",
            files={"photo": (name, content, "image/jpeg")},
            data={**TEXTS, "panorama": "false", "based_on": revision(), "csrf_token": editor.csrf},
        )
        assert added.status_code == 303
        assert added.headers["location"] == "/admin/sites/test-tower?lang=en&saved=1#photos"
    first, second = (photo["id"] for photo in site_document(editor)["photos"])
    page = editor.client.get("/admin/sites/test-tower?lang=en&ui=en").text
    assert page.index(first) < page.index(second) and "Move down" in page
    assert post(f"/{second}/move", step="-1").status_code == 303
    assert [photo["id"] for photo in site_document(editor)["photos"]] == [second, first]
    assert post(f"/{second}/remove").status_code == 303
    assert [photo["id"] for photo in site_document(editor)["photos"]] == [first]
    stale = editor.client.post(
        f"/admin/sites/test-tower/photos/{first}/remove?lang=en",
        data={"csrf_token": editor.csrf, "based_on": "1"},
    )
    assert stale.status_code == 409
