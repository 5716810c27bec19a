// gapwatch UI enhancements. Every page works without this script: it only
// shows times in the viewer's zone (UTC stays in the hover title) and
// applies a search facet as soon as its checkbox changes.
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

  // Only facet checkboxes submit on change: a date typed digit by digit or
  // a select browsed with the arrow keys would reload the page under the
  // user. The changed checkbox gets the focus back after the reload.
  var focusKey = "gapwatch.refocus";

  function autoSubmit() {
    var form = document.getElementById("search-form");
    if (!form) {
      return;
    }
    form.addEventListener("change", function (ev) {
      var t = ev.target;
      if (!t || t.type !== "checkbox" || !t.hasAttribute("data-autosubmit")) {
        return;
      }
      try {
        sessionStorage.setItem(focusKey, JSON.stringify({name: t.name, value: t.value}));
      } catch (e) {
        // storage may be disabled: the focus is then not restored
      }
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
    });
  }

  function restoreFocus() {
    var saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(focusKey) || "null");
      sessionStorage.removeItem(focusKey);
    } catch (e) {
      return;
    }
    if (!saved) {
      return;
    }
    var boxes = document.querySelectorAll("input[type=checkbox][data-autosubmit]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].name === saved.name && boxes[i].value === saved.value) {
        var more = boxes[i].closest("details");
        if (more) {
          more.open = true;
        }
        boxes[i].focus();
        return;
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    autoSubmit();
    restoreFocus();
  });
})();
