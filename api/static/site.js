// The QR page without this script still plays (native controls) and reads fine.
(function () {
  "use strict";
  var audio = document.getElementById("narration");
  var speed = document.getElementById("speed");
  if (audio && speed) {
    speed.addEventListener("change", function () {
      audio.playbackRate = parseFloat(speed.value);
    });
  }
  if (audio) {
    reportOnePlay(audio);
  }
  var ask = document.getElementById("ask");
  if (ask) {
    ask.addEventListener("click", function (event) {
      if (window.HeritageGuideChat) {
        event.preventDefault();
        window.HeritageGuideChat.open({ site: ask.getAttribute("data-site") });
      }
    });
  }
  var share = document.getElementById("share");
  if (share) {
    share.addEventListener("click", function (event) {
      event.preventDefault();
      sharePage(share);
    });
  }
  document.querySelectorAll(".languages a").forEach(function (link) {
    link.addEventListener("click", function () {
      document.cookie = "guide_lang=" + link.getAttribute("hreflang") + "; path=/; max-age=31536000; SameSite=Lax";
    });
  });

  // One play per page view, reported when the sound really starts; fetching the file counts
  // nothing. Whatever happens to the report, the narration plays on.
  function reportOnePlay(audio) {
    var article = document.querySelector("article[data-site]");
    var view = randomId();
    audio.addEventListener("playing", function report() {
      audio.removeEventListener("playing", report);
      var body = new URLSearchParams();
      body.set("site", article ? article.getAttribute("data-site") : "");
      body.set("lang", audio.lang);
      body.set("view", view);
      try {
        if (!(navigator.sendBeacon && navigator.sendBeacon("/api/plays", body))) {
          fetch("/api/plays", { method: "POST", body: body, keepalive: true }).catch(function () {});
        }
      } catch (error) {
        // Not counted: nothing the visitor needs to know.
      }
    });
  }

  // The phone's own share sheet (Zalo, KakaoTalk, WeChat, mail…) where the browser offers it,
  // else the address copied, else shown to copy by hand: no app's script is loaded. Without
  // this script the button is a plain link to the page, to copy or share from the browser.
  function sharePage(link) {
    var status = document.getElementById("share-status");
    function show(text) {
      status.textContent = text;
      status.hidden = false;
    }
    function copy() {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link.href).then(function () {
          show(link.getAttribute("data-copied"));
        }, function () {
          show(link.href);
        });
      } else {
        show(link.href);
      }
    }
    if (navigator.share) {
      navigator.share({ title: link.getAttribute("data-title"), url: link.href }).catch(function (error) {
        if (error.name !== "AbortError") {
          copy();
        }
      });
    } else {
      copy();
    }
  }

  // crypto.randomUUID needs HTTPS; getRandomValues works on plain HTTP too.
  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (byte) {
      return ("0" + byte.toString(16)).slice(-2);
    }).join("");
  }
})();
