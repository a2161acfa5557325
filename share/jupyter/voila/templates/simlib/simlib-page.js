/* The lever explorer's page script (served inline by the "simlib" Voilà template; no outside request).
 *
 * - Address bar: whenever the panel's share line (.share-query, the settings as a query string)
 *   changes, the address bar shows that link (history.replaceState: no reload, no history entry).
 * - Copy link: a click on .copy-link copies the full address of these settings.
 * - Copy the memo paragraph: a click on .copy-memo copies the text of .memo-text.
 * - Downloads on the first click: a new link marked .auto-download (a file the panel has just made) is
 *   clicked once, so the browser saves it; the link stays on the page as a fallback.
 * - Upload: a scenario file larger than the panel accepts (.upload-words data-limit, in bytes) is
 *   refused here, before it is sent (megabytes would not reach the panel: the connection drops
 *   such a message silently); the panel's file status says so, in its words.
 * - Closing: when the page goes away (pagehide: the tab closed, the page reloaded or left), it tells
 *   this server at once (a beacon to simlib/close/<id>), which stops its kernel and frees its slot.
 * - Disconnected: every 2 s the page asks this server whether its kernel is alive
 *   (simlib/kernel/<id>); when it is not, or the server does not answer, a banner says so and the
 *   panel is greyed out. Words come from the panel (.page-words data attributes, in its language).
 */
(function () {
  "use strict";
  var config = {};
  try {
    config = JSON.parse(document.getElementById("jupyter-config-data").textContent);
  } catch (e) { /* not a Voilà page */ }
  var base = (config.baseUrl || "/");
  var kernelId = config.kernelId;

  function words() {
    var el = document.querySelector(".page-words");
    return el ? el.dataset : {};
  }

  function shareQuery() {
    var el = document.querySelector(".share-query");
    return el ? el.textContent.trim() : null;
  }

  function fullUrl(query) {
    return window.location.origin + window.location.pathname + (query || "");
  }

  // ---- address bar and the full link
  var lastQuery = null;
  function syncAddress() {
    var query = shareQuery();
    if (query === null || query === lastQuery) { return; }
    lastQuery = query;
    try { window.history.replaceState(null, "", fullUrl(query)); } catch (e) { /* file:// etc. */ }
    document.querySelectorAll(".share-url").forEach(function (a) {
      var url = fullUrl(query);
      if (a.getAttribute("href") !== url) { a.setAttribute("href", url); a.textContent = url; }
    });
  }
  new MutationObserver(syncAddress).observe(document.body, {subtree: true, childList: true, characterData: true});

  // ---- copy link
  function copied(button, ok) {
    var w = words();
    var old = button.dataset.label || button.textContent;
    button.dataset.label = old;
    button.textContent = ok ? (w.copied || "✓") : (w.copyFailed || "✗");
    setTimeout(function () { button.textContent = button.dataset.label; }, 2000);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".copy-link") : null;
    if (!button) { return; }
    event.preventDefault();
    var url = fullUrl(shareQuery());
    window.__simlibCopied = url;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { copied(button, true); },
                                              function () { copied(button, fallbackCopy(url)); });
    } else {
      copied(button, fallbackCopy(url));
    }
  });
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  // ---- copy the memo paragraph
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".copy-memo") : null;
    if (!button) { return; }
    event.preventDefault();
    var memo = document.querySelector(".memo-text");
    var text = memo ? memo.innerText.trim() : "";
    window.__simlibCopiedMemo = text;
    function done(ok) {
      var old = button.dataset.label || button.textContent;
      button.dataset.label = old;
      button.textContent = ok ? (button.dataset.copied || "✓") : (button.dataset.failed || "✗");
      setTimeout(function () { button.textContent = button.dataset.label; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  });

  // ---- downloads on the first click: save each file the panel has just made, once
  var saved = {};
  function saveNew() {
    document.querySelectorAll("a.auto-download[data-token]").forEach(function (a) {
      var token = a.dataset.token;
      if (saved[token]) { return; }
      saved[token] = true;
      a.click();
    });
  }
  new MutationObserver(saveNew).observe(document.body, {subtree: true, childList: true});

  // ---- disconnected: banner and greyed outputs
  var style = document.createElement("style");
  style.textContent =
    "body.simlib-disconnected .lever-explorer{opacity:.4;filter:grayscale(1);pointer-events:none;}" +
    "#simlib-disconnected{position:fixed;top:0;left:0;right:0;z-index:10000;background:#a01010;color:#fff;" +
    "padding:10px 14px;font-size:16px;font-weight:bold;box-shadow:0 2px 6px rgba(0,0,0,.3);}" +
    "#simlib-disconnected button{margin-left:12px;font-size:15px;padding:3px 12px;cursor:pointer;}";
  document.head.appendChild(style);

  var gone = false;
  function disconnected() {
    if (gone) { return; }
    gone = true;
    var w = words();
    document.body.classList.add("simlib-disconnected");
    var banner = document.createElement("div");
    banner.id = "simlib-disconnected";
    banner.setAttribute("role", "alert");
    banner.textContent = w.disconnected || "Disconnected — reload the page";
    var reload = document.createElement("button");
    reload.textContent = w.reload || "Reload";
    reload.addEventListener("click", function () { window.location.reload(); });
    banner.appendChild(reload);
    document.body.appendChild(banner);
  }
  function check() {
    if (gone || !kernelId) { return; }
    fetch(base + "simlib/kernel/" + encodeURIComponent(kernelId), {cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : {alive: false}; })
      .then(function (state) { if (!state.alive) { disconnected(); } })
      .catch(function () { disconnected(); });
  }
  setInterval(check, 2000);

  // ---- upload: too big a file is refused before it is sent. The upload widget's file input is not in
  // the page (it is clicked from its button), so the guard is put on a file input when it is clicked:
  // it sees the chosen files first and stops the widget from seeing files that are too big.
  function refuseTooBig(event) {
    var input = event.target;
    var w = document.querySelector(".upload-words");
    var limit = w ? parseInt(w.dataset.limit, 10) : NaN;
    var files = Array.prototype.slice.call(input.files || []);
    var big = files.filter(function (f) { return isFinite(limit) && f.size > limit; });
    if (!big.length) { return; }
    event.stopImmediatePropagation();  // the upload widget never sees them
    input.value = "";
    var status = document.querySelector(".file-status .widget-html-content") || document.querySelector(".file-status");
    if (!status) { return; }
    var box = document.createElement("div");
    box.className = "file-error upload-refused";
    box.style.color = "#a01010";
    box.textContent = w.dataset.loadFailed || "";
    var list = document.createElement("ul");
    big.forEach(function (f) {
      var item = document.createElement("li");
      item.textContent = f.name.slice(0, 80) + ": " + (w.dataset.tooBig || "");
      list.appendChild(item);
    });
    box.appendChild(list);
    status.replaceChildren(box);
  }
  var click = HTMLInputElement.prototype.click;
  HTMLInputElement.prototype.click = function () {
    if (this.type === "file" && !this.__simlibGuarded) {
      this.__simlibGuarded = true;
      this.addEventListener("change", refuseTooBig, true);  // capture: before the widget's own listener
    }
    return click.apply(this, arguments);
  };

  // ---- closing: the kernel is freed as soon as the page is gone
  window.addEventListener("pagehide", function () {
    if (!kernelId || gone || !navigator.sendBeacon) { return; }
    gone = true;
    try { navigator.sendBeacon(base + "simlib/close/" + encodeURIComponent(kernelId)); } catch (e) { /* best effort */ }
  });
})();
