/* The 5 Whys editor, keyboard first: Enter in an answer saves it (the server answers with
   the next "Why ...?" focused); Enter in a question moves to its answer; Shift+Enter is a
   new line; Escape closes the form and puts its text back as it was. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!field.closest || !field.closest("form[data-why-form]")) return;
    var form = field.closest("form[data-why-form]");
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      if (field.matches("[data-why-question]")) {
        event.preventDefault();
        var answer = form.querySelector("[data-why-answer]");
        if (answer) answer.focus();
      } else if (field.matches("[data-why-answer]")) {
        event.preventDefault();
        form.requestSubmit();
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      form.reset();
      delete form.dataset.dirty;
      var live = form.querySelector(".why-live");
      if (live) live.innerHTML = "";
      var details = form.closest("details");
      if (details) {
        details.open = false;
        var summary = details.querySelector("summary");
        if (summary) summary.focus();
      } else {
        field.blur();
      }
    }
  });
})();
