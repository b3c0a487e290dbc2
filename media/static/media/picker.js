// Opens the photo picker in a dialog on the calling page. A link marked data-photo-picker
// points at the picker page, which also works on its own without this script. Choosing a
// photo submits the picker's form to its target, unless a listener on the link cancels
// the "photo-picked" event to use the choice itself (the story editor does).
(function () {
  "use strict";
  if (!window.fetch || !window.HTMLDialogElement) return;

  function open(link) {
    var dialog = document.createElement("dialog");
    dialog.className = "picker-dialog";
    var url = new URL(link.href, window.location.href);
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = document.documentElement.lang === "ko" ? "설명, 출처, 태그로 검색" : "Caption, credit or tag";
    search.setAttribute("aria-label", search.placeholder);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "small-button";
    close.textContent = document.documentElement.lang === "ko" ? "닫기" : "Close";
    close.addEventListener("click", function () { dialog.close(); });
    var head = document.createElement("div");
    head.className = "picker-head";
    head.append(search, close);
    var results = document.createElement("div");
    dialog.append(head, results);
    document.body.append(dialog);
    dialog.addEventListener("close", function () { dialog.remove(); });

    function load() {
      url.searchParams.set("q", search.value);
      fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) { results.innerHTML = html; });
    }
    var timer;
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
    results.addEventListener("submit", function (event) {
      var form = event.target.closest("[data-photo-choice]");
      if (!form) return;
      var picked = new CustomEvent("photo-picked", {
        cancelable: true,
        detail: { id: form.elements.photo.value, card: form.closest(".photo-card") },
      });
      if (!link.dispatchEvent(picked)) {
        event.preventDefault();
        dialog.close();
      }
    });
    load();
    dialog.showModal();
    search.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-photo-picker]");
    if (!link) return;
    event.preventDefault();
    open(link);
  });
})();
