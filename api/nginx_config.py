"""The nginx configuration in front of one installation, as ``guide deploy nginx`` writes it.

nginx serves ``/static/``, ``/audio/`` and ``/photos/`` from this installation's folders
(with Range and the caching their names allow), keeps the public pages the guide marks
``public`` in its ``proxy_cache`` and revalidates them with their ETags, and passes everything
else to the guide processes. Staff addresses are never kept. The visitor's address goes in
``X-Forwarded-For``, replaced rather than appended, so a visitor cannot name another; the
guide believes it from the addresses in ``GUIDE_TRUSTED_PROXIES``.

Every path nginx writes (temporary files, cache, pid, logs) is under the prefix folder, so
``nginx -p DIR -c DIR/guide-nginx.conf`` runs the file as it is.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from api.routes.narration import IMMUTABLE
from api.security_headers import STAFF_PATH
from api.static_assets import HASH_LENGTH, STATIC_DIR, UNVERSIONED
from sites_data.languages import LANGUAGE_CODES

CONFIG_NAME = "guide-nginx.conf"
_ADDRESS = re.compile(r"^(?P<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(?P<port>[0-9]{1,5})$")


class BadAddress(ValueError):
    """An address that is not ``HOST:PORT``; the message names the option."""


def address(option: str, value: str) -> str:
    """``value`` as ``HOST:PORT``, or ``BadAddress`` naming the option."""
    found = _ADDRESS.match(value.strip())
    if found is None or not 0 < int(found["port"]) < 65536:
        raise BadAddress(
            f"{option}: {value!r} is not an address; write HOST:PORT, such as 127.0.0.1:8000"
        )
    return value.strip()


@dataclass(frozen=True)
class NginxSite:
    listen: str
    upstreams: list[str]
    prefix: Path
    audio_dir: Path
    photo_dir: Path
    max_body_mb: int
    user: str | None = None

    def render(self) -> str:
        upstreams = "\n".join(f"    server {upstream};" for upstream in self.upstreams)
        languages = "|".join(LANGUAGE_CODES)
        audio_path = (
            rf"^/audio/[a-z0-9-]+/(?:{languages})/"
            r"(?<head>[0-9a-f]{2})(?<tail>[0-9a-f]{62})\.(?<format>mp3|opus)$"
        )
        return TEMPLATE.format(
            user=f"user {self.user};\n" if self.user else "",
            prefix=self.prefix,
            upstreams=upstreams,
            listen=self.listen,
            max_body_mb=self.max_body_mb,
            static_dir=STATIC_DIR.resolve(),
            audio_dir=self.audio_dir.resolve(),
            audio_path=audio_path,
            photo_dir=self.photo_dir.resolve(),
            hash_length=HASH_LENGTH,
            immutable=IMMUTABLE,
            unversioned=UNVERSIONED,
            staff_path=STAFF_PATH.pattern,
        )

    def write(self) -> Path:
        """Write the configuration and make the folders nginx writes into."""
        for folder in ("logs", "cache", "temp"):
            (self.prefix / folder).mkdir(parents=True, exist_ok=True)
        (self.prefix / "proxy-headers.conf").write_text(PROXY_HEADERS)
        path = self.prefix / CONFIG_NAME
        path.write_text(self.render())
        return path


TEMPLATE = """\
# Written by `guide deploy nginx`; run: nginx -p {prefix} -c {prefix}/guide-nginx.conf
{user}worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    types {{
        text/html html;
        text/css css;
        text/javascript js mjs;
        application/json json map;
        image/svg+xml svg;
        image/png png;
        image/jpeg jpg jpeg;
        image/webp webp;
        image/x-icon ico;
        font/woff2 woff2;
        font/woff woff;
        font/ttf ttf;
        application/vnd.ms-fontobject eot;
        audio/mpeg mp3;
        audio/ogg opus;
    }}
    default_type application/octet-stream;
    access_log {prefix}/logs/access.log combined buffer=64k flush=1s;
    sendfile on;
    open_file_cache max=10000 inactive=60s;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    # Staff upload recordings and photos (GUIDE_RECORDING_MAX_MB, GUIDE_PHOTO_MAX_MB).
    client_max_body_size {max_body_mb}m;

    gzip on;
    gzip_vary on;
    gzip_min_length 1000;
    gzip_types text/css text/javascript application/json image/svg+xml;

    # The guide marks what may be kept (Cache-Control: public, s-maxage, with ETag); private
    # and no-store answers, and answers setting a cookie, are never kept.
    proxy_cache_path {prefix}/cache levels=1:2 keys_zone=guide_pages:10m max_size=256m
                     inactive=1h use_temp_path=off;

    upstream guide {{
{upstreams}
        keepalive 64;
    }}

    server {{
        listen {listen} reuseport backlog=4096;

        # The guide's own files, by their fingerprinted names (name.<hash>.ext) or plain.
        location ~ "^/static/(?<asset>.+)\\.[0-9a-f]{{{hash_length}}}(?<ext>\\.\\w+)$" {{
            alias {static_dir}/$asset$ext;
            add_header Cache-Control "{immutable}";
        }}
        location /static/ {{
            alias {static_dir}/;
            add_header Cache-Control "{unversioned}";
        }}

        # Narration audio, content-addressed: /audio/{{key}}/{{lang}}/{{digest}}.{{mp3|opus}}
        # is <audio folder>/<digest[:2]>/<digest>.<format>. Range requests are answered (206).
        location ~ "{audio_path}" {{
            alias {audio_dir}/$head/$head$tail.$format;
            add_header Cache-Control "{immutable}";
        }}

        # Photos, content-addressed: /photos/{{id}}/{{width}}.{{webp|jpg}} is
        # <photo folder>/<id>/<width>.<format>.
        location ~ "^/photos/(?<photo>[0-9a-f]{{32}})/(?<size>[0-9]+\\.(?:webp|jpg))$" {{
            alias {photo_dir}/$photo/$size;
            add_header Cache-Control "{immutable}";
        }}

        # Staff pages and API: passed through, never kept.
        location ~ "^{staff_path}" {{
            proxy_pass http://guide;
            proxy_cache off;
            include {prefix}/proxy-headers.conf;
        }}

        location / {{
            proxy_pass http://guide;
            proxy_cache guide_pages;
            proxy_cache_revalidate on;
            proxy_cache_lock on;
            proxy_cache_background_update on;
            proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;
            # One copy per address: asked gzipped from the guide, unzipped for the few
            # clients that do not take gzip; public answers differ by nothing else.
            proxy_ignore_headers Vary;
            gunzip on;
            add_header X-Cache-Status $upstream_cache_status always;
            include {prefix}/proxy-headers.conf;
            proxy_set_header Accept-Encoding gzip;
        }}
    }}
}}
"""

PROXY_HEADERS = """\
# Included by guide-nginx.conf in every location passed to the guide.
proxy_http_version 1.1;
proxy_set_header Connection "";
proxy_set_header Host $http_host;
proxy_set_header X-Forwarded-For $remote_addr;
proxy_set_header X-Forwarded-Proto $scheme;
"""
