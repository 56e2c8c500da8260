// Lantern live reload (added by `lantern serve` only; never in `lantern build` output).
(function () {
  "use strict";
  var overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.id = "lantern-error";
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.95);color:#fff;padding:1.5rem;font:14px/1.5 ui-monospace,monospace";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Build failed: the last good build is shown until you fix this.";
    var pre = document.createElement("pre");
    // Set every property the theme's `pre` styles may set: its light background would
    // otherwise sit under this white text.
    pre.style.cssText = "white-space:pre-wrap;background:transparent;color:#fff;border:0;margin:1rem 0 0;padding:0;font:inherit;box-shadow:none";
    pre.textContent = text;
    overlay.appendChild(title);
    overlay.appendChild(pre);
  }
  function clearError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function swapStyles() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("lantern", Date.now());
      links[i].href = url.toString();
    }
  }
  // `location.pathname` is percent-encoded (`/%ED%85%94.../`), the event's paths may not
  // be (`/텔레그램-비밀/`): compare both decoded. Portable links name folders as
  // `…/index.html`, the event as `…/`: compare folders.
  function decoded(path) {
    var text = path;
    try { text = decodeURIComponent(path); } catch (err) { text = path; }
    return text.replace(/\/index\.html$/, "/");
  }
  function showsThisPage(paths) {
    var here = decoded(location.pathname);
    for (var i = 0; i < paths.length; i++) {
      if (decoded(paths[i]) === here) { return true; }
    }
    return false;
  }
  var events = new EventSource("/__lantern/events");
  events.addEventListener("reload", function (e) {
    var change = JSON.parse(e.data);
    clearError();
    if (change.css_only) { swapStyles(); return; }
    if (change.all || showsThisPage(change.paths)) { location.reload(); }
  });
  events.addEventListener("build-error", function (e) { showError(JSON.parse(e.data).message); });
  events.addEventListener("build-ok", function () { clearError(); });
})();
