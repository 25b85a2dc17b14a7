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
  var ask = document.getElementById("ask");
  if (ask) {
    ask.addEventListener("click", function (event) {
      if (window.HeritageGuideChat) {
        event.preventDefault();
        window.HeritageGuideChat.open({ site: ask.getAttribute("data-site") });
      }
    });
  }
  document.querySelectorAll(".languages a").forEach(function (link) {
    link.addEventListener("click", function () {
      document.cookie = "guide_lang=" + link.getAttribute("hreflang") + "; path=/; max-age=31536000; SameSite=Lax";
    });
  });
})();
