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
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = link.dataset.textSearch;
    search.setAttribute("aria-label", link.dataset.textSearch);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "small-button";
    close.textContent = link.dataset.textClose;
    close.addEventListener("click", function () { dialog.close(); });
    var head = document.createElement("div");
    head.className = "picker-head";
    head.append(search, close);
    var results = document.createElement("div");
    dialog.append(head, results);
    document.body.append(dialog);
    dialog.addEventListener("close", function () { dialog.remove(); });

    var latest = 0;
    function load(address) {
      var ticket = ++latest;
      fetch(address, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          // Only the answer to the latest search is shown, whatever order answers arrive in.
          if (ticket === latest) results.innerHTML = html;
        })
        .catch(function () { window.location.href = link.href; });
    }
    function search_for(query) {
      var address = new URL(link.href, window.location.href);
      address.searchParams.set("q", query);
      load(address);
    }
    var timer;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search_for(search.value); }, 250);
    });
    results.addEventListener("click", function (event) {
      var page = event.target.closest(".pagination a");
      if (!page) return;
      event.preventDefault();
      load(new URL(page.getAttribute("href"), link.href));
    });
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
    search_for("");
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
