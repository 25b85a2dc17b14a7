// The guide's service worker: keeps offline packs (a tour's pages, narration and map tiles;
// a screen's page) in caches named "pack:<name>", and answers from them when the network
// does not. Freshness is the server's: a kept answer is used first only while its own
// Cache-Control says it is fresh (immutable audio, tiles within their max-age); anything
// else goes to the network first, through the browser's HTTP cache.
"use strict";

const PACK_PREFIX = "pack:";
const CONTENTS = "/offline-pack.json"; // each pack's cache holds its list and sizes here
const AT_ONCE = 2; // requests in flight while downloading: a tile server is not to be hammered

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const ours = url.origin === self.location.origin;
  // The API, the staff pages and anything but reading are never kept.
  if (request.method !== "GET" || (ours && /^\/(api|admin)(\/|$)/.test(url.pathname))) return;
  event.respondWith(answer(request));
});

async function answer(request) {
  const kept = await caches.match(request, { ignoreVary: true });
  if (kept && isFresh(kept)) return ranged(kept, request);
  try {
    return await fetch(request);
  } catch (error) {
    if (kept) return ranged(kept, request);
    throw error;
  }
}

function isFresh(response) {
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  if (/\bno-cache\b|\bno-store\b/.test(control)) return false;
  if (/\bimmutable\b/.test(control)) return true;
  const maxAge = /\bmax-age=(\d+)/.exec(control);
  const date = Date.parse(response.headers.get("Date") || "");
  return Boolean(maxAge) && !Number.isNaN(date) && date + Number(maxAge[1]) * 1000 > Date.now();
}

// Audio players ask for byte ranges; a kept answer is whole, so the range is cut from it.
async function ranged(response, request) {
  const range = /^bytes=(\d*)-(\d*)$/.exec((request.headers.get("Range") || "").trim());
  if (!range || response.status !== 200) return response;
  const body = await response.arrayBuffer();
  const size = body.byteLength;
  const start = range[1] === "" ? Math.max(0, size - Number(range[2])) : Number(range[1]);
  const end = range[1] !== "" && range[2] !== "" ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (start > end || start >= size) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  }
  const headers = new Headers(response.headers);
  headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
  headers.set("Content-Length", String(end - start + 1));
  return new Response(body.slice(start, end + 1), { status: 206, headers });
}

self.addEventListener("message", (event) => {
  const { action, pack } = event.data || {};
  if (action === "download") event.waitUntil(download(pack, event.source));
});

// Keeps every address of the pack ({cache, pages, assets, audio, tiles}) and whatever its
// pages and stylesheets load from the guide, asking again only for what its server no longer
// calls fresh, conditionally where it gave an ETag or a date; forgets what the pack no longer
// holds. Tells the page how it goes.
async function download(pack, client) {
  const cache = await caches.open(PACK_PREFIX + pack.cache);
  const before = await contents(cache);
  const listed = [...pack.pages, ...pack.assets, ...pack.audio, ...pack.tiles];
  const wanted = new Set(listed.map((address) => new URL(address, self.location).href));
  const kept = new Set();
  const aliases = {};
  const sizes = {};
  const failed = [];
  let changed = 0;
  let round = [...wanted];
  while (round.length) {
    const found = [];
    await inTurn(round, async (address) => {
      try {
        const outcome = await keep(cache, address, before);
        aliases[address] = outcome.addresses;
        outcome.addresses.forEach((stored) => kept.add(stored));
        sizes[address] = outcome.bytes;
        if (outcome.changed) changed += 1;
        for (const loaded of outcome.loads) {
          if (!wanted.has(loaded)) found.push(loaded);
          wanted.add(loaded);
        }
      } catch (error) {
        failed.push(address);
      }
      const done = Object.keys(sizes).length + failed.length;
      client.postMessage({ type: "progress", cache: pack.cache, done, total: wanted.size });
    });
    round = found;
  }
  for (const request of await cache.keys()) {
    if (!kept.has(request.url) && !request.url.endsWith(CONTENTS)) await cache.delete(request);
  }
  const bytes = Object.values(sizes).reduce((sum, size) => sum + size, 0);
  const saved = { ...pack, sizes, aliases, bytes, failed, saved: new Date().toISOString() };
  await cache.put(CONTENTS, new Response(JSON.stringify(saved), {
    headers: { "Content-Type": "application/json" },
  }));
  client.postMessage({ type: "done", cache: pack.cache, bytes, changed, failed: failed.length });
}

// Runs ``task`` on every address, AT_ONCE at a time.
async function inTurn(addresses, task) {
  const queue = [...addresses];
  async function worker() {
    for (let address = queue.shift(); address; address = queue.shift()) await task(address);
  }
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
}

async function contents(cache) {
  const kept = await cache.match(CONTENTS);
  return kept ? kept.json() : {};
}

// Keeps one address: {bytes, changed, addresses it is kept under, loads: what it loads}.
async function keep(cache, address, before) {
  const kept = await cache.match(address, { ignoreVary: true });
  if (kept && isFresh(kept)) return unchanged(kept, address, before);
  const ours = new URL(address).origin === self.location.origin;
  const headers = new Headers();
  // Only our own server is asked conditionally by hand: a tile server would need a CORS
  // preflight for these headers, so the browser's HTTP cache revalidates tiles itself.
  if (kept && ours && kept.headers.get("ETag")) {
    headers.set("If-None-Match", kept.headers.get("ETag"));
  } else if (kept && ours && kept.headers.get("Last-Modified")) {
    headers.set("If-Modified-Since", kept.headers.get("Last-Modified"));
  }
  const response = await fetch(address, {
    headers,
    mode: "cors",
    credentials: ours ? "same-origin" : "omit",
    cache: ours ? "no-store" : "no-cache",
  });
  if (response.status === 304 && kept) return unchanged(kept, address, before);
  if (!response.ok) throw new Error(`${address}: ${response.status}`);
  const etag = response.headers.get("ETag");
  const same = Boolean(kept && etag && kept.headers.get("ETag") === etag);
  // A page that moved (to its canonical address) is kept under both addresses, as a plain
  // answer: a browser refuses a redirected answer to a navigation.
  const addresses = [...new Set([address, response.url || address])];
  const body = await response.blob();
  const stored = await dated(response, body);
  for (const where of addresses) await cache.put(where, stored.clone());
  return {
    bytes: body.size,
    changed: !same,
    addresses,
    loads: await loads(stored, response.url || address),
  };
}

// A kept answer still good: under the addresses it was kept under (``before``, the pack's
// contents as last saved), loading what it loaded.
async function unchanged(kept, address, before) {
  const bytes = (before.sizes || {})[address] ?? (await kept.clone().blob()).size;
  const addresses = (before.aliases || {})[address] || [address];
  return { bytes, changed: false, addresses, loads: await loads(kept, kept.url || address) };
}

// The answer as kept: dated when it arrived where another origin's Date header is hidden from
// scripts (CORS), since max-age counts from it.
async function dated(response, body) {
  const headers = new Headers(response.headers);
  if (!headers.has("Date")) headers.set("Date", new Date().toUTCString());
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

// What a page or a stylesheet of the guide loads from the guide: scripts, stylesheets, icons
// and the manifest of a page; images and fonts of a stylesheet (WOFF2, which every browser
// with service workers reads, not the older font formats).
const PAGE_LOADS = /<script\b[^>]*\bsrc\s*=\s*"([^"]+)"|<link\b(?=[^>]*\brel\s*=\s*"(?:stylesheet|manifest|icon|preload|modulepreload)")[^>]*\bhref\s*=\s*"([^"]+)"/gi;
const STYLE_LOADS = /url\(\s*['"]?([^'")]+)['"]?\s*\)/gi;
const OLD_FONTS = /\.(ttf|otf|eot|woff)([?#]|$)/i;

async function loads(response, base) {
  const type = response.headers.get("Content-Type") || "";
  const isPage = type.startsWith("text/html");
  if (!isPage && !type.startsWith("text/css")) return [];
  const text = await response.clone().text();
  const found = [];
  for (const match of text.matchAll(isPage ? PAGE_LOADS : STYLE_LOADS)) {
    const reference = (match[1] || match[2] || "").replace(/&amp;/g, "&");
    if (!reference || reference.startsWith("data:") || OLD_FONTS.test(reference)) continue;
    const url = new URL(reference, base);
    url.hash = "";
    const ours = url.origin === self.location.origin && !/^\/(api|admin)(\/|$)/.test(url.pathname);
    if (ours) found.push(url.href);
  }
  return found;
}
