// The 360° viewer (Pannellum) of a site's panoramas or a tour's: each scene leads to the next
// and the one before, by a hot spot in the picture and by the buttons under it.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("scenes").textContent);
  var byId = {};
  var scenes = {};
  data.scenes.forEach(function (scene) {
    byId[scene.id] = scene;
    var hotSpots = [];
    if (scene.next) {
      hotSpots.push({ pitch: -10, yaw: 0, type: "scene", text: scene.next.label, sceneId: scene.next.id });
    }
    if (scene.previous) {
      hotSpots.push({ pitch: -10, yaw: 180, type: "scene", text: scene.previous.label, sceneId: scene.previous.id });
    }
    scenes[scene.id] = { title: scene.title, panorama: scene.image, hotSpots: hotSpots };
  });
  var container = document.getElementById("panorama");
  container.textContent = "";
  var viewer = pannellum.viewer(container, {
    default: { firstScene: data.first, autoLoad: true, sceneFadeDuration: 600, compass: false },
    scenes: scenes,
    strings: data.strings
  });
  var buttons = {
    previous: document.getElementById("previous-scene"),
    next: document.getElementById("next-scene")
  };
  function show(id) {
    var scene = byId[id];
    container.setAttribute("aria-label", scene.alt);
    container.dataset.scene = id;
    document.getElementById("scene-title").textContent = scene.title;
    document.getElementById("scene-credit").textContent = scene.credit;
    ["previous", "next"].forEach(function (way) {
      var step = scene[way];
      buttons[way].hidden = !step;
      buttons[way].textContent = step ? step.label : "";
      buttons[way].dataset.scene = step ? step.id : "";
    });
  }
  ["previous", "next"].forEach(function (way) {
    buttons[way].addEventListener("click", function () {
      viewer.loadScene(buttons[way].dataset.scene);
    });
  });
  viewer.on("scenechange", show);
  viewer.on("load", function () { container.dataset.loaded = viewer.getScene(); });
  show(data.first);
})();
