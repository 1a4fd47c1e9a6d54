// Small helpers every page uses: the viewer's time zone, auto-submitting selects, countdowns.
(function () {
  "use strict";

  // Tell the server the browser's zone so that dates are shown in it from the next page on.
  // Written as is: the server does not percent-decode cookies, and zone names need no escaping.
  // A value with "%" was written encoded by an earlier version, and is replaced.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var kept = (document.cookie.match(/(?:^|; )sulh_tz=([^;]*)/) || [])[1];
    if (zone && /^[A-Za-z0-9_+\-\/]+$/.test(zone) && (!kept || kept.indexOf("%") !== -1)) {
      document.cookie = "sulh_tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* no Intl: the server keeps UTC */ }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });

  // <time data-countdown datetime="..." data-left="{d} d {h} h {m} min left" data-over="...">
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("datetime")) - now;
      if (isNaN(left)) { return; }
      if (left <= 0) {
        el.textContent = el.getAttribute("data-over");
        el.classList.add("overdue");
        return;
      }
      var minutes = Math.floor(left / 60000);
      var text = el.getAttribute("data-left")
        .replace("{d}", String(Math.floor(minutes / 1440)))
        .replace("{h}", String(Math.floor((minutes % 1440) / 60)))
        .replace("{m}", String(minutes % 60));
      el.textContent = text;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 15000);
    var problem = document.getElementById("form-problem");
    if (problem) { problem.focus(); }
  });
})();
