/* 大屏 /screen/: paging (keys 1-5, ←/→, space pauses the timer) and the quiet refresh — poll the
   wall's version (data fingerprint and latest change); when it changes, fetch the panels and swap
   them in place (no reload). */
(function () {
  "use strict";
  var root, current = 0, timer = null, paused = false, busy = false;

  function show(index) {
    var sections = document.querySelectorAll(".screen-panel");
    if (!sections.length) { return; }
    current = (index + sections.length) % sections.length;
    sections.forEach(function (s, i) { s.hidden = i !== current; s.classList.toggle("active", i === current); });
    document.querySelectorAll(".screen-tabs button[data-panel]").forEach(function (b, i) { b.classList.toggle("active", i === current); });
    window.dispatchEvent(new Event("resize"));  // charts in a panel that was hidden take their size now
    if (window.diaodu) { window.diaodu.init(sections[current]); }
  }

  function restartTimer() {
    if (timer) { clearInterval(timer); }
    var seconds = Number(root.dataset.pageSeconds || 45);
    if (!paused && seconds > 0) { timer = setInterval(function () { show(current + 1); }, seconds * 1000); }
  }

  function refresh() {
    if (busy) { return; }  // a slow redraw is still under way: the next poll looks again
    busy = true;
    fetch(root.dataset.stateUrl, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (state) {
      if (!state || state.version === root.dataset.version) { return; }
      return fetch(root.dataset.bodyUrl, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (html === null) { return; }
        var body = document.getElementById("screen-body");
        var keep = current;
        body.innerHTML = html;
        root.dataset.version = state.version;
        var updated = document.getElementById("screen-updated");
        var n = Number(updated.dataset.updated || 0) + 1;
        updated.dataset.updated = String(n);
        updated.textContent = "数据已更新 " + new Date().toLocaleTimeString("zh-CN", { hour12: false });
        show(keep);  // draws the charts of the panel on screen
      });
    }).catch(function () { /* the next poll tries again */ }).then(function () { busy = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("screen");
    if (!root) { return; }
    document.querySelectorAll(".screen-tabs button[data-panel]").forEach(function (b, i) {
      b.addEventListener("click", function () { show(i); restartTimer(); });
    });
    var pause = document.querySelector("[data-action=pause]");
    function togglePause() {
      paused = !paused;
      pause.classList.toggle("paused", paused);
      pause.textContent = paused ? "已暂停翻页" : "自动翻页";
      restartTimer();
    }
    pause.addEventListener("click", togglePause);
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowRight" || ev.key === "PageDown") { show(current + 1); restartTimer(); }
      else if (ev.key === "ArrowLeft" || ev.key === "PageUp") { show(current - 1); restartTimer(); }
      else if (/^[1-9]$/.test(ev.key)) { show(Number(ev.key) - 1); restartTimer(); }
      else if (ev.key === " ") { ev.preventDefault(); togglePause(); }
    });
    restartTimer();
    var every = Number(root.dataset.refresh || 20);
    if (every > 0) { setInterval(refresh, every * 1000); }
  });
}());
