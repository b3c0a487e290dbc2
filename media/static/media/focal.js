// Click on the picture to set the focal point (the share crop centres on it). The form's
// number fields stay the way to set it without a pointer or without this script.
(function () {
  "use strict";
  var figure = document.querySelector("[data-focal-picker]");
  var x = document.querySelector('input[name="focal_x"]');
  var y = document.querySelector('input[name="focal_y"]');
  if (!figure || !x || !y) return;
  var image = figure.querySelector("img");
  var marker = figure.querySelector("[data-focal-marker]");
  if (!image) return;

  function show() {
    if (x.value === "" || y.value === "") { marker.hidden = true; return; }
    marker.hidden = false;
    marker.style.left = (image.offsetLeft + parseFloat(x.value) * image.clientWidth) + "px";
    marker.style.top = (image.offsetTop + parseFloat(y.value) * image.clientHeight) + "px";
  }

  image.style.cursor = "crosshair";
  image.addEventListener("click", function (event) {
    var box = image.getBoundingClientRect();
    x.value = ((event.clientX - box.left) / box.width).toFixed(3);
    y.value = ((event.clientY - box.top) / box.height).toFixed(3);
    show();
  });
  [x, y].forEach(function (field) { field.addEventListener("input", show); });
  if (image.complete) show(); else image.addEventListener("load", show);
  window.addEventListener("resize", show);
})();
