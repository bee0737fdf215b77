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

// A transcript opens, and stays, at its newest line when new lines arrive; earlier
// lines put in above leave the reader where they were.
function toNewest() {
  document.querySelectorAll("ol.lines").forEach(function (list) { list.scrollTop = list.scrollHeight; });
}
document.addEventListener("DOMContentLoaded", toNewest);
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.detail.target.matches("ol.lines")) { toNewest(); }
});

// The queue's SLA colours turn as time runs out, without asking the server. Each
// row says how many seconds it has left (relative, so the browser's clock need not
// agree with the server's); one timer waits for the soonest change, re-armed when
// htmx swaps the rows in.
var slaTimer = null;
function turnSlaColours() {
  var now = Date.now();
  var next = Infinity;
  document.querySelectorAll("tr[data-late-in]").forEach(function (row) {
    if (!row.dataset.lateAt) {
      row.dataset.warnAt = String(now + Number(row.dataset.warnIn) * 1000);
      row.dataset.lateAt = String(now + Number(row.dataset.lateIn) * 1000);
    }
    var warnAt = Number(row.dataset.warnAt);
    var lateAt = Number(row.dataset.lateAt);
    var state = now >= lateAt ? "late" : now >= warnAt ? "warn" : "ok";
    if (!row.classList.contains("sla-" + state)) {
      row.classList.remove("sla-ok", "sla-warn", "sla-late");
      row.classList.add("sla-" + state);
    }
    if (warnAt > now) { next = Math.min(next, warnAt); } else if (lateAt > now) { next = Math.min(next, lateAt); }
  });
  clearTimeout(slaTimer);
  if (next !== Infinity) { slaTimer = setTimeout(turnSlaColours, Math.min(next - now + 20, 2147483000)); }
}
document.addEventListener("DOMContentLoaded", turnSlaColours);
document.addEventListener("htmx:afterSwap", turnSlaColours);
