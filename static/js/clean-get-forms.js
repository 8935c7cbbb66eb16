// GET forms leave out their blank fields, so the URL names only what was chosen. Without this
// script the server redirects to the same clean URL (BlankParametersMiddleware).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "get") return;
  Array.prototype.forEach.call(form.elements, function (field) {
    if (!field.name || field.disabled) return;
    var blank = (field.type === "checkbox" || field.type === "radio")
      ? false
      : field.tagName === "SELECT" && field.multiple
        ? field.selectedOptions.length === 0
        : String(field.value).trim() === "";
    if (blank) {
      field.disabled = true;
      // Re-enable after the navigation starts, so the back button finds the form as it was.
      setTimeout(function () { field.disabled = false; }, 0);
    }
  });
});
