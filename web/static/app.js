// gapwatch UI enhancements. Every page works without this script: it only
// shows times in the viewer's zone (UTC stays in the hover title) and
// applies search filters as soon as they change.
(function () {
  "use strict";

  function localTimes(root) {
    var fmt;
    try {
      fmt = new Intl.DateTimeFormat(undefined, {
        year: "numeric", month: "short", day: "numeric",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
      });
    } catch (e) {
      return;
    }
    root.querySelectorAll("time[data-local]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (isNaN(d.getTime())) {
        return;
      }
      if (!el.title) {
        el.title = el.textContent;
      }
      el.textContent = fmt.format(d);
      el.setAttribute("data-localized", "");
    });
  }

  function autoSubmit() {
    var form = document.getElementById("search-form");
    if (!form) {
      return;
    }
    form.addEventListener("change", function (ev) {
      var t = ev.target;
      if (t && t.hasAttribute && t.hasAttribute("data-autosubmit")) {
        var page = form.querySelector("input[name=page]");
        if (page) {
          page.remove();
        }
        form.classList.add("busy");
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    autoSubmit();
  });
})();
