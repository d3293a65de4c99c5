// The site's only script of its own (the Content-Security-Policy allows no inline script):
// a <select data-autosubmit> sends its form when changed.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  }
});

// A unit tree's search box shows the units whose name contains what is typed, accents ignored.
function dangvuFold(text) {
  return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/\s+/g, " ").trim();
}
document.addEventListener("input", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches(".unit-tree .tree-filter")) return;
  var query = dangvuFold(box.value);
  box.closest("[data-unit-tree]").querySelectorAll("li[data-name]").forEach(function (item) {
    item.hidden = query !== "" && item.getAttribute("data-name").indexOf(query) === -1;
  });
});
