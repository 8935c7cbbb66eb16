// "Select all on the page" in the KLIK list's bulk form also ticks each row's box, so the user
// sees what is selected. The form works without this: the server reads the page's rows.
(function () {
  "use strict";
  var all = document.querySelector("#bulk-form input[name='bulk-all_on_page']");
  if (!all) {
    return;
  }
  var rows = document.querySelectorAll("input[name='bulk-tasks'][form='bulk-form']");
  all.addEventListener("change", function () {
    rows.forEach(function (box) {
      box.checked = all.checked;
    });
  });
  rows.forEach(function (box) {
    box.addEventListener("change", function () {
      if (!box.checked) {
        all.checked = false;
      }
    });
  });
})();
