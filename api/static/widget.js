// Heritage Guide chat widget. Embed with one tag:
//   <script src="https://GUIDE/widget.js" data-lang="en" data-site="thap-doi" async></script>
// No framework; styles live in a shadow root; visitor text only ever becomes textContent.
(function () {
  "use strict";
  var STRINGS = __STRINGS__;
  var script = document.currentScript;
  var base = new URL(script.src, location.href).origin;
  var storeKey = "heritage-guide-chat";
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { saved = {}; }
  var pageLang = (script.getAttribute("data-lang") || document.documentElement.lang || navigator.language || "vi").slice(0, 2).toLowerCase();
  var state = {
    sender: saved.sender || ("web-" + Math.random().toString(36).slice(2) + Date.now().toString(36)),
    lang: STRINGS[pageLang] ? pageLang : (STRINGS[saved.lang] ? saved.lang : "vi"),
    site: script.getAttribute("data-site") || saved.site || "",
    history: Array.isArray(saved.history) ? saved.history.slice(-50) : [],
    open: script.getAttribute("data-open") === "true" || !!saved.open
  };
  function text(name) { return (STRINGS[state.lang] || STRINGS.vi)[name]; }
  function save() {
    try {
      localStorage.setItem(storeKey, JSON.stringify({ sender: state.sender, lang: state.lang, site: state.site, history: state.history, open: state.open }));
    } catch (e) { /* private mode: the chat still works, it just won't survive a reload */ }
  }

  var host = document.createElement("div");
  host.id = "heritage-guide-chat";
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" +
    ":host{all:initial}*{box-sizing:border-box;font:15px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans',sans-serif}" +
    ".launch{position:fixed;right:16px;bottom:16px;z-index:2147483000;background:#8a3b12;color:#fff;border:0;border-radius:24px;padding:12px 18px;font-weight:600;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)}" +
    ".panel{position:fixed;right:16px;bottom:16px;z-index:2147483001;width:min(380px,calc(100vw - 32px));height:min(560px,calc(100vh - 32px));background:#fff;color:#1b1b1b;border-radius:12px;box-shadow:0 4px 20px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}" +
    ".panel[hidden],.launch[hidden]{display:none}" +
    "header{display:flex;justify-content:space-between;align-items:center;background:#8a3b12;color:#fff;padding:10px 14px;font-weight:600}" +
    "header button{background:transparent;color:#fff;border:1px solid #fff;border-radius:6px;padding:2px 10px;cursor:pointer}" +
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}" +
    ".msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}" +
    ".user{align-self:flex-end;background:#f3e3d8}.bot{align-self:flex-start;background:#eef1f5}.error{align-self:flex-start;background:#fff4d6}" +
    ".typing{align-self:flex-start;color:#4a4a4a;font-style:italic}" +
    ".buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}.buttons button{background:#fff;border:1px solid #8a3b12;color:#8a3b12;border-radius:14px;padding:4px 10px;cursor:pointer}" +
    "a{color:#0b4f9c;display:block;margin-top:4px}audio{width:100%;margin-top:6px}" +
    "form{display:flex;gap:6px;padding:10px;border-top:1px solid #ddd}input{flex:1;padding:8px;border:1px solid #767676;border-radius:6px}" +
    "form button{background:#8a3b12;color:#fff;border:0;border-radius:6px;padding:8px 12px;cursor:pointer}" +
    "button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}" +
    "</style>" +
    "<button class='launch' type='button'></button>" +
    "<section class='panel' role='dialog' hidden><header><span class='title'></span><button type='button' class='close'></button></header>" +
    "<div class='log' role='log' aria-live='polite'></div>" +
    "<form><label hidden for='q'></label><input id='q' autocomplete='off' maxlength='500'><button type='submit' class='send'></button></form></section>";

  var launch = root.querySelector(".launch");
  var panel = root.querySelector(".panel");
  var log = root.querySelector(".log");
  var form = root.querySelector("form");
  var input = root.querySelector("input");
  function label() {
    launch.textContent = text("chat_title");
    panel.setAttribute("aria-label", text("chat_title"));
    root.querySelector(".title").textContent = text("chat_title");
    root.querySelector(".close").textContent = text("chat_close");
    root.querySelector(".send").textContent = text("chat_send");
    root.querySelector("label").textContent = text("chat_placeholder");
    input.placeholder = text("chat_placeholder");
  }

  function narrationKey(url) {
    var match = /\/s\/([a-z0-9-]+)/.exec(url.pathname);
    return url.origin === base && match ? match[1] : null;
  }
  function addPlayer(container, key, lang) {
    fetch(base + "/api/sites/" + encodeURIComponent(key) + "/narration/" + encodeURIComponent(lang))
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (narration) {
        if (!narration || !narration.url) { return; }
        var audio = document.createElement("audio");
        audio.controls = true;
        audio.preload = "none";
        audio.src = new URL(narration.url, base).href;
        container.appendChild(audio);
      })
      .catch(function () { /* the link still works */ });
  }
  function render(entry) {
    var bubble = document.createElement("div");
    bubble.className = "msg " + entry.from;
    bubble.textContent = entry.text || "";
    (entry.links || []).forEach(function (link) {
      var url;
      try { url = new URL(link.url, base); } catch (e) { return; }
      if (url.protocol !== "https:" && url.protocol !== "http:") { return; }
      var anchor = document.createElement("a");
      anchor.href = url.href;
      anchor.target = "_blank";
      anchor.rel = "noopener";
      anchor.textContent = link.title || url.href;
      bubble.appendChild(anchor);
      var key = narrationKey(url);
      if (key) { addPlayer(bubble, key, url.searchParams.get("lang") || state.lang); }
    });
    if (entry.buttons && entry.buttons.length) {
      var row = document.createElement("div");
      row.className = "buttons";
      entry.buttons.forEach(function (button) {
        var choice = document.createElement("button");
        choice.type = "button";
        choice.textContent = button.title;
        choice.addEventListener("click", function () { send(button.payload || button.title, button.title); });
        row.appendChild(choice);
      });
      bubble.appendChild(row);
    }
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
  }
  function remember(entry) {
    state.history.push(entry);
    state.history = state.history.slice(-50);
    save();
    render(entry);
  }

  var typing = null;
  function showTyping(on) {
    if (on && !typing) {
      typing = document.createElement("div");
      typing.className = "typing";
      typing.textContent = text("chat_typing");
      log.appendChild(typing);
    } else if (!on && typing) {
      typing.remove();
      typing = null;
    }
  }
  function send(message, shown) {
    if (!message.trim()) { return; }
    remember({ from: "user", text: shown || message });
    showTyping(true);
    var body = { sender: state.sender, message: message, lang: state.lang };
    if (state.site) { body.site = state.site; }
    fetch(base + "/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (reply) {
        showTyping(false);
        if (reply.lang && STRINGS[reply.lang]) { state.lang = reply.lang; label(); }
        (reply.messages || []).forEach(function (m) { remember({ from: "bot", text: m.text, buttons: m.buttons, links: m.links }); });
      })
      .catch(function () {
        showTyping(false);
        render({ from: "error", text: text("chat_unavailable") });
      });
  }

  function setOpen(open) {
    state.open = open;
    panel.hidden = !open;
    launch.hidden = open;
    save();
    if (open) { input.focus(); }
  }
  launch.addEventListener("click", function () { setOpen(true); });
  root.querySelector(".close").addEventListener("click", function () { setOpen(false); launch.focus(); });
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") { setOpen(false); launch.focus(); } });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = input.value;
    input.value = "";
    send(message);
  });

  label();
  state.history.forEach(render);
  setOpen(state.open);
  window.HeritageGuideChat = {
    open: function (options) {
      if (options && options.site) { state.site = options.site; }
      setOpen(true);
    }
  };
})();
