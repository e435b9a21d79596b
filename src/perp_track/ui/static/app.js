// perp-track: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js-enabled");

  function headerMenu() {
    // On a phone the menu folds behind one button; on a wide screen the button stays hidden.
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("header-menu");
    if (!toggle || !menu) { return; }
    toggle.hidden = false;
    menu.classList.add("collapsed");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      menu.classList.toggle("collapsed", open);
    });
  }

  function markAll() {
    // "Mark everyone present" in the page itself; without scripts the server does the same.
    document.querySelectorAll("[data-mark-all]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        var form = button.form;
        if (!form) { return; }
        event.preventDefault();
        form.querySelectorAll("fieldset.participant").forEach(function (group) {
          if (group.querySelector("input[type=radio]:checked")) { return; }
          var choice = group.querySelector("input[type=radio][value='" + button.value + "']");
          if (choice) { choice.checked = true; }
        });
      });
    });
  }

  var DRAFT = "perp-track-draft";
  var RELOGIN = "perp-track-relogin";

  function words(selector) {
    var template = document.getElementById("session-words");
    var found = template && template.content.querySelector(selector);
    return found ? found.cloneNode(true) : null;
  }

  function sessionWarning() {
    // Two minutes before an idle session ends, say so; "stay logged in" reads a page, which
    // counts as activity, and starts the count again.
    var idle = parseInt(document.body.getAttribute("data-session-idle") || "0", 10);
    if (!idle) { return; }
    var timer = null;
    var banner = null;
    function arm() {
      var lead = Math.min(2, idle / 2);
      timer = window.setTimeout(show, (idle - lead) * 60000);
    }
    function show() {
      banner = words(".session-warning");
      var main = document.getElementById("main");
      if (!banner || !main) { return; }
      main.insertBefore(banner, main.firstChild);
      banner.querySelector("[data-keep-session]").addEventListener("click", function () {
        fetch("/profile", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
          if (r.ok && banner) { banner.remove(); banner = null; window.clearTimeout(timer); arm(); }
        });
      });
    }
    arm();
  }

  function keepDrafts() {
    // A form sent after the session ended lands on the login page: what was typed is kept in
    // this tab (sessionStorage, never on the server) and put back once logged in again.
    var store = window.sessionStorage;
    var here = location.pathname + location.search;
    var raw = store.getItem(DRAFT);
    var draft = raw ? JSON.parse(raw) : null;
    var login = document.querySelector("form[action='/login']");
    if (location.pathname === "/login") {
      if (draft && login && login.elements.next) {
        login.elements.next.value = draft.path;
        login.addEventListener("submit", function () { store.setItem(RELOGIN, "1"); });
      }
    } else if (draft) {
      store.removeItem(DRAFT);
      if (draft.path === here && store.getItem(RELOGIN)) { restore(draft); }
    }
    if (location.pathname !== "/login") { store.removeItem(RELOGIN); }
    document.querySelectorAll("main form[method=post]").forEach(function (form) {
      var action = form.getAttribute("action") || "";
      if (/^\/(login|logout|language)/.test(action) || !document.body.getAttribute("data-session-idle")) { return; }
      form.addEventListener("submit", function () {
        var fields = [];
        Array.prototype.forEach.call(form.elements, function (el) {
          if (!el.name || el.type === "hidden" || el.type === "password" || el.type === "submit") { return; }
          if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
          fields.push([el.name, el.value, el.type]);
        });
        store.setItem(DRAFT, JSON.stringify({ path: here, fields: fields }));
      });
    });
  }

  function restore(draft) {
    var form = null;
    draft.fields.forEach(function (field) {
      var name = field[0], value = field[1], type = field[2];
      var matches = document.getElementsByName(name);
      Array.prototype.forEach.call(matches, function (el) {
        if (type === "radio" || type === "checkbox") {
          if (el.value === value) { el.checked = true; form = form || el.form; }
        } else if (el.type !== "hidden") {
          el.value = value; form = form || el.form;
        }
      });
    });
    var notice = words(".draft-restored");
    if (form && notice) {
      form.parentNode.insertBefore(notice, form);
      notice.focus();
    }
  }

  function printButtons() {
    // A "Print" button only where a script can press the browser's print for the reader.
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    headerMenu();
    printButtons();
    markAll();
    sessionWarning();
    keepDrafts();
    // After a failed submit, move focus to the error summary so screen readers announce it.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
