if (window.DKFDS && window.DKFDS.init) { window.DKFDS.init(); }
// "Udskriv" buttons are hidden until there is JavaScript to print with (the CSP allows no
// inline handler, so the click is wired here).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
