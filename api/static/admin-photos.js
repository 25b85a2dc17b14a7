// The photo forms of a site's staff page: a chosen file twice as wide as high, like a 360°
// panorama, ticks "360° panorama" and says so; any other ticks "flat photo". Staff can change
// it either way. A file the browser cannot read (HEIC in most browsers) leaves the choice open.
(function () {
  "use strict";
  function looksLikePanorama(width, height) {
    return Math.abs(width / height - 2) <= 0.02;
  }
  document.querySelectorAll("form.photo-form").forEach(function (form) {
    var file = form.querySelector("input[type=file]");
    var notice = form.querySelector(".panorama-detected");
    file.addEventListener("change", function () {
      notice.hidden = true;
      if (!file.files.length || !window.createImageBitmap) return;
      createImageBitmap(file.files[0]).then(function (bitmap) {
        var panorama = looksLikePanorama(bitmap.width, bitmap.height);
        bitmap.close();
        form.querySelector("input[name=panorama][value=" + panorama + "]").checked = true;
        notice.hidden = !panorama;
      }, function () {});
    });
  });
})();
