/* Kintsugi page behaviour. Small on purpose: htmx does the requests, this file only
   keeps people's unsaved text safe and reports errors in words. */
(function () {
  "use strict";

  /* 1. A section is re-rendered after a save in it (to keep its order right). Any other
        open form inside it (an edit of another row, an open "add" form) must survive:
        we take those live elements out before the swap and put them back after it,
        replacing their freshly rendered counterparts (same id). */
  var kept = [];

  function collectOpenForms(target, source) {
    if (!target || !target.querySelectorAll) return;
    target.querySelectorAll("[data-keep-open][id]").forEach(function (el) {
      if (el === target || (source && el.contains(source))) return;
      kept.push(el);
    });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    kept = [];
    if (!event.detail.shouldSwap) return;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    collectOpenForms(event.detail.target, source);
  });

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    collectOpenForms(event.detail.target, null);
  });

  /* Put them back in the same task as the swap, before anyone can type into the fresh
     copies (waiting for htmx's settle would leave a short window where that happens). */
  function restoreOpenForms() {
    kept = kept.filter(function (el) {
      var fresh = document.getElementById(el.id);
      if (fresh && fresh !== el) {
        fresh.replaceWith(el);
        return false;
      }
      return true;
    });
  }

  document.addEventListener("htmx:afterSwap", restoreOpenForms);
  document.addEventListener("htmx:oobAfterSwap", restoreOpenForms);

  /* Focus the field a fresh form marks, in the same task as the swap: htmx's own
     autofocus runs at settle time, when typing may already have started elsewhere. */
  function focusMarked(root) {
    var field = root && root.querySelector ? (root.matches("[data-autofocus]") ? root : root.querySelector("[data-autofocus]")) : null;
    if (!field) return;
    field.removeAttribute("data-autofocus");
    field.focus({ preventScroll: false });
  }
  document.addEventListener("htmx:afterSwap", function (event) { focusMarked(event.target); });
  focusMarked(document.body);

  /* 2. Errors that htmx does not swap (403, 404, 500, network) become a visible message;
        the form stays on screen with what was typed. */
  function toast(message, kind) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var item = document.createElement("div");
    item.className = "toast toast-" + (kind || "error");
    item.setAttribute("role", "alert");
    item.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", function () { item.remove(); });
    item.appendChild(close);
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, 12000);
  }

  var MESSAGES = {
    403: "You may not change this (your role or the incident's restrictions). Nothing was saved.",
    404: "This item no longer exists: someone may have deleted it. Copy your text, then reload the page.",
    413: "That is too large to save.",
  };

  /* In DEBUG, django-htmx's helper replaces the whole page with the error response. For
     403 and 404 that would throw away the text being edited, so keep those answers from
     reaching it (it listens on document; body comes first) and let the toast explain. */
  document.body.addEventListener("htmx:beforeOnLoad", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403 || status === 404) event.stopPropagation();
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    toast(MESSAGES[status] || "The server could not save this (error " + status + "). Your text is still here; try again.");
  });

  document.addEventListener("htmx:sendError", function () {
    toast("The server did not answer. Check your connection; your text is still here.");
  });

  /* 3. Warn before leaving the page with unsaved text in an open form. */
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("[data-keep-open] form");
    if (form) form.dataset.dirty = "1";
  });
  document.addEventListener("submit", function (event) {
    if (event.target.dataset) delete event.target.dataset.dirty;
  });
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-dirty]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  /* 4. Small conveniences: print, copy the new API token, close menus on outside click. */
  document.addEventListener("click", function (event) {
    var printer = event.target.closest("[data-print]");
    if (printer) { window.print(); return; }
    var copier = event.target.closest("[data-copy]");
    if (copier) {
      var source = document.querySelector(copier.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          copier.textContent = "Copied";
        });
      }
      return;
    }
    document.querySelectorAll("details.menu[open], details.user-menu[open], details.nav-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
})();
