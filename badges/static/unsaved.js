// Warn before leaving a form marked data-warn-unsaved once something in it changed and was not saved.
// Without JavaScript the form works the same, only without the warning.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-warn-unsaved]");
  if (!forms.length) {
    return;
  }
  var dirty = false;
  forms.forEach(function (form) {
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";  // older browsers show their own wording; the text is not shown
    }
  });
})();
