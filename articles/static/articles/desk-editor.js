// The story editor's page: live counters for the share fields, the story's photo list
// (photos picked from the library, removed, marked as lead), autosave and the edit lock.
// The rich-text editor itself is story-editor.js; the two talk through events on the form.
(function () {
  "use strict";
  var form = document.getElementById("story-form");
  if (!form) return;

  // Characters as the server counts them: code points, not UTF-16 units.
  function length(text) { return Array.from(text).length; }
  form.querySelectorAll("[data-counted]").forEach(function (box) {
    var field = box.querySelector("input, textarea");
    var counter = box.querySelector("[data-counter]");
    var limit = Number(box.dataset.counted);
    function show() {
      var used = length(field.value);
      counter.textContent = used + " / " + limit;
      counter.classList.toggle("over-limit", used > limit);
    }
    field.addEventListener("input", show);
    show();
  });

  // --- photos -----------------------------------------------------------------------------
  var rows = form.querySelector("[data-photo-rows]");
  var template = document.querySelector("[data-photo-row-template]");
  document.querySelectorAll("[data-body-tools], [data-remove-photo]").forEach(function (el) {
    el.hidden = false;
  });

  function newRow(detail) {
    var key = "new-" + Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36);
    var html = template.innerHTML.split("__key__").join(key);
    var holder = document.createElement("ul");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    row.querySelector("[data-photo-id]").value = detail.id;
    var card = detail.card;
    var picture = card && card.querySelector("picture, img");
    if (picture) row.querySelector("[data-photo-thumb]").append(picture.cloneNode(true));
    if (card) {
      row.querySelector("[data-photo-caption]").value = card.dataset.caption || "";
      row.querySelector("[data-photo-credit]").value = card.dataset.credit || "";
      row.querySelector("[name$='-alt']").value = card.dataset.alt || "";
    }
    row.querySelector("[data-remove-photo]").hidden = false;
    rows.append(row);
    markDirty();
    return row;
  }

  document.querySelectorAll("[data-photo-insert], [data-photo-lead]").forEach(function (link) {
    link.addEventListener("photo-picked", function (event) {
      event.preventDefault(); // the choice is used here; the picker's form is not posted
      var row = newRow(event.detail);
      if (link.hasAttribute("data-photo-lead")) {
        row.querySelector("[name='lead_photo']").checked = true;
      } else {
        form.dispatchEvent(new CustomEvent("story-photo-insert", { detail: { key: row.dataset.key, row: row } }));
      }
    });
  });

  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-photo]");
    if (!button) return;
    var row = button.closest("[data-photo-row]");
    form.dispatchEvent(new CustomEvent("story-photo-remove", { detail: { key: row.dataset.key } }));
    row.remove();
    markDirty();
  });

  rows.addEventListener("input", function (event) {
    var row = event.target.closest("[data-photo-row]");
    if (row) form.dispatchEvent(new CustomEvent("story-photo-changed", { detail: { key: row.dataset.key, row: row } }));
  });

  // --- autosave and the edit lock ---------------------------------------------------------
  var dirty = false, submitting = false;
  function markDirty() { dirty = true; }
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", function (event) {
    // A second click while the first save is on its way would post the same thing again.
    if (submitting) event.preventDefault();
    submitting = true;
  });

  var status = form.querySelector("[data-autosave-status]");
  if (status) status.hidden = false; // autosave is this script's: without it, no such promise
  var lockMessage = document.querySelector("[data-lock-message]");
  var url = form.dataset.autosaveUrl;
  if (!url || !window.fetch) return;

  function autosave() {
    if (!dirty || submitting) return;
    dirty = false;
    status.textContent = form.dataset.textSaving;
    var data = new FormData(form);
    data.delete("action");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (answer) {
        status.textContent = answer.message;
        status.dataset.savedAt = answer.saved_at;
        lockMessage.textContent = answer.lock;
        lockMessage.hidden = !answer.lock;
      })
      .catch(function () {
        dirty = true; // try again next time
        status.textContent = form.dataset.textAutosaveFailed;
      });
  }
  window.setInterval(autosave, Number(form.dataset.autosaveSeconds) * 1000);

  window.addEventListener("pagehide", function () {
    if (submitting || !navigator.sendBeacon) return;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    navigator.sendBeacon(form.dataset.releaseUrl, data);
  });
})();
