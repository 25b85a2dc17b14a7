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

// Keeps every address of the pack ({cache, revision, pages, assets, audio, tiles}), asking
// again only for what its server no longer calls fresh, conditionally where it gave an ETag
// or a date, and forgets what the pack no longer lists. Tells the page how it goes.
async function download(pack, client) {
  const cache = await caches.open(PACK_PREFIX + pack.cache);
  const before = await contents(cache);
  const addresses = [...pack.pages, ...pack.assets, ...pack.audio, ...pack.tiles];
  const wanted = new Set(addresses.map((address) => new URL(address, self.location).href));
  const sizes = {};
  const failed = [];
  let done = 0;
  let changed = 0;
  const queue = [...wanted];
  async function worker() {
    for (let address = queue.shift(); address; address = queue.shift()) {
      try {
        const outcome = await keep(cache, address, before.sizes || {});
        sizes[address] = outcome.bytes;
        if (outcome.changed) changed += 1;
      } catch (error) {
        failed.push(address);
      }
      done += 1;
      client.postMessage({ type: "progress", cache: pack.cache, done, total: wanted.size });
    }
  }
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  for (const request of await cache.keys()) {
    const address = request.url;
    if (!wanted.has(address) && !address.endsWith(CONTENTS)) await cache.delete(request);
  }
  const bytes = Object.values(sizes).reduce((sum, size) => sum + size, 0);
  const saved = { ...pack, sizes, bytes, failed, saved: new Date().toISOString() };
  await cache.put(CONTENTS, new Response(JSON.stringify(saved), {
    headers: { "Content-Type": "application/json" },
  }));
  client.postMessage({ type: "done", cache: pack.cache, bytes, changed, failed: failed.length });
}

async function contents(cache) {
  const kept = await cache.match(CONTENTS);
  return kept ? kept.json() : {};
}

async function keep(cache, address, knownSizes) {
  const kept = await cache.match(address, { ignoreVary: true });
  if (kept && isFresh(kept)) {
    const bytes = knownSizes[address] ?? (await kept.clone().blob()).size;
    return { bytes, changed: false };
  }
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
  if (response.status === 304 && kept) {
    return { bytes: knownSizes[address] ?? (await kept.clone().blob()).size, changed: false };
  }
  if (!response.ok) throw new Error(`${address}: ${response.status}`);
  const bytes = (await response.clone().blob()).size;
  const same = kept && kept.headers.get("ETag") && kept.headers.get("ETag") === response.headers.get("ETag");
  await cache.put(address, await dated(response));
  return { bytes, changed: !same };
}

// Another origin's Date header is hidden from scripts (CORS), yet max-age counts from it:
// the answer is dated when it arrived.
async function dated(response) {
  if (response.headers.has("Date")) return response;
  const headers = new Headers(response.headers);
  headers.set("Date", new Date().toUTCString());
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
