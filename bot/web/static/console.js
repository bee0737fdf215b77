// The console's only script of its own (no inline scripts: the pages' CSP forbids them).
// A canned reply fills the reply box; a select marked data-autosubmit submits its form.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches("select[data-canned]") && target.value) {
    var box = document.getElementById(target.getAttribute("data-canned"));
    if (box) { box.value = target.value; box.focus(); }
    target.selectedIndex = 0;
  } else if (target.matches("select[data-autosubmit]")) {
    target.form.requestSubmit();
  }
});

// A transcript opens, and stays, at its newest line.
function toNewest() {
  document.querySelectorAll("ol.lines").forEach(function (list) { list.scrollTop = list.scrollHeight; });
}
document.addEventListener("DOMContentLoaded", toNewest);
document.addEventListener("htmx:afterSwap", toNewest);
