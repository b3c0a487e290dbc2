// The moderator's desk: a "select all on this page" box over the queue's checkboxes.
// Without script the box stays hidden and each comment is ticked by hand.
(function () {
  "use strict";
  var all = document.querySelector("[data-select-all]");
  if (!all) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.mod-pick"));
  if (!boxes.length) return;
  all.closest("label").hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      all.checked = boxes.every(function (b) { return b.checked; });
    });
  });
})();
