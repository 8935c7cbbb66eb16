// Moves focus to a form's error summary (data-error-summary) when the page loads, so a refused
// save is announced and in view, even on a phone where the form sits far down the page.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }
})();
