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

  document.addEventListener("DOMContentLoaded", function () {
    headerMenu();
    markAll();
    // After a failed submit, move focus to the error summary so screen readers announce it.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
