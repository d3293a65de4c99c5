// The site's only script of its own (the Content-Security-Policy allows no inline script):
// a <select data-autosubmit> sends its form when changed.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});
