// Registers the guide's service worker (/sw.js) on every public page and, on a tour's page,
// runs "download this tour": keep, refresh or remove the tour's offline pack, and show the
// space it takes. The texts come from the panel's data- attributes, in the page's language.
"use strict";

(function () {
  const panel = document.getElementById("offline-pack");
  if (!("serviceWorker" in navigator) || !("caches" in window)) {
    if (panel) document.getElementById("pack-status").textContent = panel.dataset.unsupported;
    return;
  }
  const registered = navigator.serviceWorker.register("/sw.js", { scope: "/" });
  if (!panel) return;
  const cacheName = "pack:" + panel.dataset.cache;
  const lang = panel.dataset.lang;
  const buttons = {
    download: document.getElementById("pack-download"),
    refresh: document.getElementById("pack-refresh"),
    remove: document.getElementById("pack-remove"),
  };
  const progress = document.getElementById("pack-progress");
  const status = document.getElementById("pack-status");
  const space = document.getElementById("pack-space");
  const sizeFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
  }

  function megabytes(bytes) {
    return sizeFormat.format(bytes / 1e6) + " MB";
  }

  async function keptContents() {
    if (!(await caches.has(cacheName))) return null;
    const kept = await (await caches.open(cacheName)).match("/offline-pack.json");
    return kept ? kept.json() : null;
  }

  async function showState(message) {
    const kept = await keptContents();
    buttons.download.hidden = Boolean(kept);
    buttons.refresh.hidden = buttons.remove.hidden = !kept;
    panel.dataset.state = kept ? "kept" : "absent";
    let text = message || "";
    if (kept && !message) {
      const day = new Date(kept.saved).toLocaleString(lang);
      text = fill(panel.dataset.saved, { size: megabytes(kept.bytes), date: day });
      if (kept.without_audio.length) {
        text += " " + fill(panel.dataset.withoutAudio, { count: kept.without_audio.length });
      }
      if (await changedSince(kept)) text += " " + panel.dataset.outdated;
    }
    status.textContent = text;
    if (navigator.storage && navigator.storage.estimate) {
      const estimate = await navigator.storage.estimate();
      space.textContent = fill(panel.dataset.space, {
        used: megabytes(estimate.usage || 0),
        quota: megabytes(estimate.quota || 0),
      });
    }
  }

  // Whether the pack changed on the server since it was kept (never asked with no signal).
  async function changedSince(kept) {
    try {
      const answer = await fetch(panel.dataset.pack, { cache: "no-cache" });
      return answer.ok && (await answer.json()).revision !== kept.revision;
    } catch (error) {
      return false;
    }
  }

  async function download(refreshing) {
    Object.values(buttons).forEach((button) => (button.disabled = true));
    try {
      const answer = await fetch(panel.dataset.pack, { cache: "no-cache" });
      if (!answer.ok) throw new Error(String(answer.status));
      const pack = await answer.json();
      if (navigator.storage && navigator.storage.persist) await navigator.storage.persist();
      const worker = (await navigator.serviceWorker.ready).active;
      progress.hidden = false;
      const outcome = await new Promise((resolve) => {
        function listen(event) {
          const report = event.data || {};
          if (report.cache !== pack.cache) return;
          if (report.type === "progress") {
            progress.max = report.total;
            progress.value = report.done;
            status.textContent = fill(panel.dataset.progress, report);
          } else if (report.type === "done") {
            navigator.serviceWorker.removeEventListener("message", listen);
            resolve(report);
          }
        }
        navigator.serviceWorker.addEventListener("message", listen);
        worker.postMessage({ action: "download", pack });
      });
      panel.dataset.changed = String(outcome.changed);
      let message = "";
      if (outcome.failed) message = fill(panel.dataset.failed, outcome);
      else if (refreshing) message = fill(panel.dataset.refreshed, outcome);
      await showState(message);
    } catch (error) {
      await showState(fill(panel.dataset.failed, { failed: "?" }));
    } finally {
      progress.hidden = true;
      Object.values(buttons).forEach((button) => (button.disabled = false));
    }
  }

  buttons.download.addEventListener("click", () => download(false));
  buttons.refresh.addEventListener("click", () => download(true));
  buttons.remove.addEventListener("click", async () => {
    await caches.delete(cacheName);
    await showState(panel.dataset.removed);
  });
  registered.then(() => showState()).then(() => (buttons.download.disabled = false));
})();
