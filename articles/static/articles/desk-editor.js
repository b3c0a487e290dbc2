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
  // Each photo is listed once, with its uses (the lead, in the text) under it: a row of the
  // list is one use, with its own caption, inside its photo's group.
  var rows = form.querySelector("[data-photo-rows]");
  var template = document.querySelector("[data-photo-row-template]");
  var body = form.querySelector("textarea[data-story-body]");
  document.querySelectorAll("[data-body-tools], [data-remove-photo]").forEach(function (el) {
    el.hidden = false;
  });

  // As the server labels them when it draws the page (articles.forms.photo_groups).
  function labelUses() {
    var lead = form.querySelector("[name='lead_photo']:checked");
    rows.querySelectorAll("[data-photo-row]").forEach(function (use) {
      var places = [];
      if (lead && lead.value === use.dataset.key) places.push(rows.dataset.textLead);
      if (body && body.value.indexOf('<figure data-photo-use="' + use.dataset.key + '"') !== -1) {
        places.push(rows.dataset.textInText);
      }
      use.querySelector("[data-photo-use-label]").textContent =
        places.join(" · ") || rows.dataset.textUnused;
    });
  }
  form.addEventListener("input", labelUses);
  form.addEventListener("change", labelUses);

  function newRow(detail) {
    var key = "new-" + Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36);
    var html = template.innerHTML.split("__key__").join(key);
    var holder = document.createElement("ul");
    holder.innerHTML = html;
    var group = holder.firstElementChild;
    var row = group.querySelector("[data-photo-row]");
    row.querySelector("[data-photo-id]").value = detail.id;
    var card = detail.card;
    if (card) {
      row.querySelector("[data-photo-caption]").value = card.dataset.caption || "";
      row.querySelector("[data-photo-credit]").value = card.dataset.credit || "";
      row.querySelector("[name$='-alt']").value = card.dataset.alt || "";
    }
    row.querySelector("[data-remove-photo]").hidden = false;
    var listed = rows.querySelector('[data-photo-group][data-photo="' + CSS.escape(String(detail.id)) + '"]');
    if (listed) {
      listed.querySelector("[data-photo-uses]").append(row);
    } else {
      group.dataset.photo = detail.id;
      var picture = card && card.querySelector("picture, img");
      if (picture) group.querySelector("[data-photo-thumb]").append(picture.cloneNode(true));
      rows.append(group);
    }
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
      labelUses();
    });
  });

  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-photo]");
    if (!button) return;
    var row = button.closest("[data-photo-row]");
    var group = row.closest("[data-photo-group]");
    form.dispatchEvent(new CustomEvent("story-photo-remove", { detail: { key: row.dataset.key } }));
    row.remove();
    if (!group.querySelector("[data-photo-row]")) group.remove();
    labelUses();
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
