// Uploads each chosen file on its own request, so every file shows its own progress and
// its own error, and one bad file never stops the others; each new photo goes to the top
// of the list, as the list orders them. Without this script the form posts all files at
// once, the server reports each file's outcome and the list it returns to starts with them.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload-form]");
  var list = document.querySelector("[data-upload-progress]");
  if (!form || !list || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector('input[type="file"]');
  var grid = document.querySelector("[data-photo-grid]");
  // The page gives the words, in its language.
  var text = {
    waiting: list.dataset.textWaiting,
    sending: list.dataset.textSending,
    failed: list.dataset.textFailed,
  };

  function row(file) {
    var item = document.createElement("li");
    item.className = "upload-item";
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var status = document.createElement("span");
    status.className = "upload-status";
    status.textContent = text.waiting;
    item.append(name, bar, status);
    list.append(item);
    return { item: item, bar: bar, status: status };
  }

  function show(card) {
    var empty = grid.querySelector(".empty-state");
    if (empty) empty.remove();
    var holder = document.createElement("template");
    holder.innerHTML = card.trim();
    grid.prepend(holder.content);
  }

  function send(file, view) {
    return new Promise(function (resolve) {
      var data = new FormData(form);
      data.delete("files");
      data.append("files", file);
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) view.bar.value = Math.round((event.loaded / event.total) * 100);
        view.status.textContent = text.sending;
      });
      request.addEventListener("load", function () {
        var result;
        try { result = JSON.parse(request.responseText).results[0]; } catch (error) { result = null; }
        view.bar.value = 100;
        if (!result) {
          view.item.classList.add("is-error");
          view.status.textContent = text.failed;
          return resolve(false);
        }
        view.item.classList.add(result.status === "rejected" ? "is-error" : "is-done");
        view.status.textContent = result.message;
        if (result.photo) {
          var link = document.createElement("a");
          link.href = result.photo.url;
          link.textContent = "→";
          view.status.append(" ", link);
          if (result.photo.card && grid) show(result.photo.card);
        }
        resolve(result.status !== "rejected");
      });
      request.addEventListener("error", function () {
        view.item.classList.add("is-error");
        view.status.textContent = text.failed;
        resolve(false);
      });
      request.send(data);
    });
  }

  form.addEventListener("submit", function (event) {
    if (!input.files.length) return;
    event.preventDefault();
    var files = Array.prototype.slice.call(input.files);
    list.textContent = "";
    var views = files.map(row);
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    // One at a time keeps the server's memory flat and the order readable.
    files.reduce(function (previous, file, index) {
      return previous.then(function () { return send(file, views[index]); });
    }, Promise.resolve()).then(function () {
      button.disabled = false;
      form.reset();
    });
  });
})();
