// Heritage Guide chat widget. Embed with one tag:
//   <script src="https://GUIDE/widget.js" data-lang="en" data-site="thap-doi" async></script>
// No framework; styles live in a shadow root; visitor text only ever becomes textContent.
// It opens only when the visitor asks (the launcher, "ask about this place", data-open="true"
// on the page that was asked for), and never raises the phone's keyboard by itself.
(function () {
  "use strict";
  var STRINGS = __STRINGS__;
  var script = document.currentScript;
  var base = new URL(script.src, location.href).origin;
  var storeKey = "heritage-guide-chat";
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { saved = {}; }
  var pageLang = (script.getAttribute("data-lang") || document.documentElement.lang || navigator.language || "en").slice(0, 2).toLowerCase();
  var state = {
    sender: saved.sender || ("web-" + Math.random().toString(36).slice(2) + Date.now().toString(36)),
    // A language the guide does not speak gets English, like the pages.
    lang: STRINGS[pageLang] ? pageLang : (STRINGS[saved.lang] ? saved.lang : "en"),
    site: script.getAttribute("data-site") || "",
    history: Array.isArray(saved.history) ? saved.history.slice(-50) : []
  };
  // Suggested questions: intent payloads (no words to understand), about the page's site
  // when there is one.
  var SITE_QUESTIONS = [["suggest_hours", "ask_hours"], ["suggest_tickets", "ask_tickets"], ["suggest_directions", "ask_directions"], ["suggest_nearby", "ask_nearby"]];
  var GUIDE_QUESTIONS = [["suggest_plan_day", "plan_day"], ["suggest_recommend", "recommend"], ["suggest_festivals", "ask_festivals"]];
  function text(name) { return (STRINGS[state.lang] || STRINGS.en)[name]; }
  function save() {
    try {
      localStorage.setItem(storeKey, JSON.stringify({ sender: state.sender, lang: state.lang, history: state.history }));
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
    ".panel[hidden],.launch[hidden]{display:none}.panel:focus{outline:none}" +
    "header{display:flex;justify-content:space-between;align-items:center;background:#8a3b12;color:#fff;padding:10px 14px;font-weight:600}" +
    "header button{background:transparent;color:#fff;border:1px solid #fff;border-radius:6px;padding:2px 10px;cursor:pointer}" +
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}" +
    ".msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}" +
    ".user{align-self:flex-end;background:#f3e3d8}.bot{align-self:flex-start;background:#eef1f5}.error{align-self:flex-start;background:#fff4d6}" +
    ".typing{align-self:flex-start;color:#4a4a4a;font-style:italic}" +
    ".buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}.buttons button{background:#fff;border:1px solid #8a3b12;color:#8a3b12;border-radius:14px;padding:6px 12px;cursor:pointer;text-align:left}" +
    ".offers{margin:6px 0 0;padding-left:18px}.offers a{display:inline}" +
    "a{color:#0b4f9c;display:block;margin-top:4px}audio{width:100%;margin-top:6px}" +
    "form{display:flex;gap:6px;padding:10px;border-top:1px solid #ddd}input{flex:1;padding:8px;border:1px solid #767676;border-radius:6px}" +
    "form button{background:#8a3b12;color:#fff;border:0;border-radius:6px;padding:8px 12px;cursor:pointer}" +
    "button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}" +
    "</style>" +
    "<button class='launch' type='button'></button>" +
    "<section class='panel' role='dialog' tabindex='-1' hidden><header><span class='title'></span><button type='button' class='close'></button></header>" +
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
    return bubble;
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
  var greeting = null;
  function greet() {
    if (greeting) { greeting.remove(); }
    var entities = state.site ? JSON.stringify({ site: state.site }) : "";
    var questions = (state.site ? SITE_QUESTIONS : GUIDE_QUESTIONS).map(function (question) {
      return { title: text(question[0]), payload: "/" + question[1] + entities };
    });
    greeting = render({ from: "bot", text: text(state.site ? "chat_greeting_site" : "chat_greeting"), buttons: questions });
  }

  // What the page offers without the assistant: a part of this very page, or the guide's page.
  function onThisPage(anchor, sitePage) {
    var here = location.origin === base && !!document.getElementById(anchor) &&
      (!sitePage || narrationKey(location) === state.site);
    return here ? "#" + anchor : null;
  }
  function pageOffers() {
    var lang = encodeURIComponent(state.lang);
    if (state.site) {
      var key = encodeURIComponent(state.site);
      var sitePage = base + "/s/" + key + "/" + lang;
      return [
        { title: text("listen"), url: onThisPage("listen-title", true) || sitePage + "#listen-title" },
        { title: text("hours_and_tickets"), url: onThisPage("hours-title", true) || sitePage + "#hours-title" },
        { title: text("on_the_map"), url: base + "/map/" + lang + "?site=" + key }
      ];
    }
    return [
      { title: text("on_the_map"), url: onThisPage("map-title") || base + "/map/" + lang },
      { title: text("all_sites"), url: onThisPage("sites-title") || base + "/?lang=" + lang + "#sites-title" }
    ];
  }
  function sayUnavailable() {
    var bubble = render({ from: "error", text: text("chat_unavailable") + "\n" + text("chat_offline_intro") });
    var list = document.createElement("ul");
    list.className = "offers";
    pageOffers().forEach(function (offer) {
      var item = document.createElement("li");
      var anchor = document.createElement("a");
      anchor.href = offer.url;
      anchor.textContent = offer.title;
      // A part of this page is behind the chat on a phone: close it to show the part.
      if (offer.url.charAt(0) === "#") { anchor.addEventListener("click", function () { setOpen(false); }); }
      item.appendChild(anchor);
      list.appendChild(item);
    });
    bubble.appendChild(list);
    log.scrollTop = log.scrollHeight;
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
        sayUnavailable();
      });
  }

  function setOpen(open) {
    panel.hidden = !open;
    launch.hidden = open;
    if (open) {
      greet();
      // The dialog, not its text field: focusing the field would raise a phone's keyboard
      // over the page (and its audio player) before the visitor chose to type.
      panel.focus({ preventScroll: true });
    }
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
  setOpen(script.getAttribute("data-open") === "true");
  window.HeritageGuideChat = {
    open: function (options) {
      if (options && options.site) { state.site = options.site; }
      setOpen(true);
    }
  };
})();
