// "You are here": only when the visitor presses "Where am I?" does the page ask the browser
// for the position, then /api/here, which says which site the visitor is at (or the nearest
// ones, with distance and direction) in the page's language. On a tour, the playlist moves
// to the next stop's narration when one ends, or when the visitor arrives at that stop.
// The page sends `heritage:here` ({lat, lon, answer}) for the map to show the position.
(function () {
  "use strict";
  // Once following a tour, ask again when the visitor has moved this far, at most this often.
  var MOVED_METRES = 25;
  var EVERY_MS = 15000;

  document.querySelectorAll("[data-here]").forEach(function (panel) {
    var button = panel.querySelector("[data-here-button]");
    var answer = panel.querySelector("[data-here-answer]");
    var playlist = document.querySelector("[data-playlist]");
    var player = playlist ? tourPlayer(playlist) : null;
    var last = null;
    var watching = false;

    button.addEventListener("click", function () {
      if (!navigator.geolocation) {
        say(panel.getAttribute("data-unavailable"));
        return;
      }
      say(panel.getAttribute("data-locating"));
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        button.disabled = false;
        located(position.coords, true);
        if (player && !watching) {
          watching = true;
          navigator.geolocation.watchPosition(function (moved) {
            located(moved.coords, false);
          }, function () {}, { enableHighAccuracy: true, maximumAge: 10000 });
        }
      }, function (error) {
        button.disabled = false;
        say(panel.getAttribute(error.code === 1 ? "data-denied" : "data-unavailable"));
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 10000 });
    });

    function located(coords, asked) {
      var now = Date.now();
      if (!asked && last && (now - last.time < EVERY_MS ||
          metresBetween(last, coords) < MOVED_METRES)) {
        return;
      }
      last = { latitude: coords.latitude, longitude: coords.longitude, time: now };
      var query = new URLSearchParams({
        lat: coords.latitude.toFixed(6),
        lon: coords.longitude.toFixed(6),
        lang: panel.getAttribute("data-lang")
      });
      if (panel.getAttribute("data-tour")) {
        query.set("tour", panel.getAttribute("data-tour"));
      }
      fetch("/api/here?" + query.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (found) {
          show(found);
          if (player && found.at) { player.arrivedAt(found.at.key); }
          document.dispatchEvent(new CustomEvent("heritage:here", {
            detail: { lat: coords.latitude, lon: coords.longitude, answer: found }
          }));
        })
        .catch(function () {
          if (asked) { say(panel.getAttribute("data-unavailable")); }
        });
    }

    function say(text) {
      answer.textContent = "";
      answer.appendChild(element("p", text));
    }

    function show(found) {
      answer.textContent = "";
      answer.setAttribute("data-at", found.at ? found.at.key : "");
      answer.appendChild(element("p", found.text, "here-at"));
      if (found.at && found.at.key !== panel.getAttribute("data-site")) {
        var listen = element("p");
        listen.appendChild(link(found.at.page, panel.getAttribute("data-listen") + ": " + found.at.name));
        answer.appendChild(listen);
      }
      if (found.nearest_title) {
        answer.appendChild(element("p", found.nearest_title));
      }
      var list = element("ul", null, "here-nearest");
      found.nearest.forEach(function (place) {
        var item = element("li");
        item.setAttribute("data-key", place.key);
        item.appendChild(link(place.page, place.name));
        item.appendChild(document.createTextNode(" · " + place.where));
        list.appendChild(item);
      });
      answer.appendChild(list);
      if (found.tour) {
        answer.appendChild(element("p", found.tour.text, "here-next"));
      }
    }
  });

  // The tour's playlist on a site page: <section data-playlist data-lang data-now-playing>
  // holding <li data-key data-name> per stop; the page's <audio id="narration"> plays it.
  function tourPlayer(playlist) {
    var audio = document.getElementById("narration");
    var lang = playlist.getAttribute("data-lang");
    var stops = Array.prototype.slice.call(playlist.querySelectorAll("li[data-key]"));
    var nowPlaying = playlist.querySelector("[data-now-playing]");
    var current = stops.findIndex(function (stop) { return stop.hasAttribute("aria-current"); });
    // Stops found to have no narration yet: not asked again at every position the phone reports.
    var silent = {};

    if (audio) {
      audio.addEventListener("ended", function () {
        if (current + 1 < stops.length) { play(current + 1, true); }
      });
    }

    function play(index, start) {
      var stop = stops[index];
      return fetch("/api/sites/" + encodeURIComponent(stop.getAttribute("data-key")) +
                   "/narration/" + encodeURIComponent(lang), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (narration) {
          stops.forEach(function (other) { other.removeAttribute("aria-current"); });
          stop.setAttribute("aria-current", "step");
          current = index;
          nowPlaying.textContent = playlist.getAttribute("data-now-playing")
            .replace("{site}", stop.getAttribute("data-name"));
          if (!audio) { return; }
          var sources = audio.querySelectorAll("source");
          if (sources.length === 2) {
            sources[0].src = narration.opus_url;
            sources[1].src = narration.url;
          } else {
            audio.src = narration.url;
          }
          audio.lang = lang;
          audio.load();
          if (start) {
            audio.play().catch(function () {});
          }
        })
        .catch(function () {
          // No narration for that stop yet: the list still links to its page.
          silent[index] = true;
        });
    }

    return {
      // Arriving at a later stop of the tour moves the playlist there.
      arrivedAt: function (key) {
        var index = stops.findIndex(function (stop) { return stop.getAttribute("data-key") === key; });
        if (index > current && !silent[index]) {
          play(index, audio ? !audio.paused || audio.ended : false);
        }
      },
      play: play
    };
  }

  function element(tag, text, className) {
    var made = document.createElement(tag);
    if (text) { made.textContent = text; }
    if (className) { made.className = className; }
    return made;
  }

  function link(href, text) {
    var made = element("a", text);
    made.href = href;
    return made;
  }

  function metresBetween(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b.latitude - a.latitude) * rad;
    var dLon = (b.longitude - a.longitude) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(a.latitude * rad) *
      Math.cos(b.latitude * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 12742000 * Math.asin(Math.sqrt(h));
  }
})();
