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

  document.addEventListener("DOMContentLoaded", function () {
    headerMenu();
    // After a failed submit, move focus to the error summary so screen readers announce it.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
