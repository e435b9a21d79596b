// perp-track: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a failed submit, move focus to the error summary so screen readers announce it.
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
