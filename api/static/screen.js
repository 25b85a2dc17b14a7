// A screen in a vehicle or a hall: shows one site after the other, needs no touch, keeps
// itself for use with no signal, and where the device knows its position shows the site
// the vehicle is approaching (and stays on it while it gets closer).
"use strict";

(function () {
  const loop = document.getElementById("loop");
  const slides = Array.from(loop.querySelectorAll(".slide"));
  const banner = document.getElementById("approaching");
  const position = document.getElementById("position");
  const seconds = Number(loop.dataset.seconds) || 15;
  const APPROACH_KM = 3; // closer than this, and getting closer: the site is coming up
  let current = 0;
  let held = null; // the slide of the site being approached

  function show(index) {
    slides[current].hidden = true;
    current = index;
    slides[current].hidden = false;
    loop.dataset.current = slides[current].dataset.key;
    position.textContent = `${current + 1} / ${slides.length}`;
  }

  setInterval(() => {
    if (held === null && slides.length > 1) show((current + 1) % slides.length);
  }, seconds * 1000);
  loop.dataset.current = slides[0].dataset.key;

  // The page, its style and script are kept by the service worker, so that the loop starts
  // again after a restart with no signal.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" });
    navigator.serviceWorker.ready.then((registration) => {
      const page = location.pathname + location.search;
      const images = slides.flatMap((slide) =>
        Array.from(slide.querySelectorAll("img"), (image) => image.getAttribute("src")));
      registration.active.postMessage({
        action: "download",
        pack: {
          cache: loop.dataset.cache,
          pages: [page],
          assets: ["/static/screen.css", "/static/screen.js", "/manifest.webmanifest",
            "/icons/icon-192.png", ...images],
          audio: [],
          tiles: [],
        },
      });
    });
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "done" && event.data.cache === loop.dataset.cache) {
        loop.dataset.kept = "true";
      }
    });
  }

  function kilometres(lat1, lon1, lat2, lon2) {
    const radians = Math.PI / 180;
    const a = Math.sin(((lat2 - lat1) * radians) / 2) ** 2 +
      Math.cos(lat1 * radians) * Math.cos(lat2 * radians) *
      Math.sin(((lon2 - lon1) * radians) / 2) ** 2;
    return 2 * 6371 * Math.asin(Math.sqrt(a));
  }

  const kilometreFormat = new Intl.NumberFormat(document.documentElement.lang, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const lastDistance = new Map();
  function approaching(position) {
    const { latitude, longitude } = position.coords;
    let nearest = null;
    slides.forEach((slide, index) => {
      const km = kilometres(latitude, longitude, Number(slide.dataset.lat), Number(slide.dataset.lon));
      const before = lastDistance.get(index);
      lastDistance.set(index, km);
      const closing = before === undefined || km <= before;
      if (km < APPROACH_KM && closing && (nearest === null || km < nearest.km)) {
        nearest = { index, km };
      }
    });
    if (nearest === null) {
      held = null;
      banner.hidden = true;
      return;
    }
    held = nearest.index;
    if (current !== held) show(held);
    const distance = nearest.km < 1
      ? `${Math.round(nearest.km * 1000 / 50) * 50} m`
      : `${kilometreFormat.format(nearest.km)} km`;
    const name = slides[held].querySelector("h2").textContent;
    banner.textContent = loop.dataset.approaching.replace("{name}", name).replace("{distance}", distance);
    banner.hidden = false;
  }

  // A screen is set up once: its position is used where the device allows it already (a
  // kiosk's policy), else after whoever sets it up presses the button; it never asks by itself.
  function follow() {
    locate.hidden = true;
    navigator.geolocation.watchPosition(approaching, () => {}, {
      enableHighAccuracy: true,
      maximumAge: 10000,
    });
  }
  const locate = document.getElementById("locate");
  if ("geolocation" in navigator && navigator.permissions) {
    locate.addEventListener("click", follow);
    navigator.permissions.query({ name: "geolocation" }).then((permission) => {
      if (permission.state === "granted") follow();
      else if (permission.state === "prompt") locate.hidden = false;
    });
  }
})();
