// Desk notes on the story editor page: typing "@" in a note offers the colleagues who may
// open the story (from the desk's JSON endpoint). Picking one writes their name into the
// text and keeps their account id in a hidden field: the mention is stored by account, not
// by the name's text (names repeat and have spaces). Without this script the form offers a
// plain multiple select of the same colleagues, which this script hides and stands in for.
(function () {
  "use strict";
  var form = document.getElementById("note-form");
  if (!form) return;
  var body = form.querySelector("[data-note-body]");
  var list = form.querySelector("[data-mention-suggestions]");
  var chosen = form.querySelector("[data-mention-chosen]");
  var picker = form.querySelector("[data-mention-picker]");
  var url = form.dataset.colleaguesUrl;
  var picked = []; // [{id, name}], in the order picked
  var mention = null; // the "@…" being typed: {start, query}
  var timer = null;
  var asked = 0; // answers to older questions are dropped
  var active = -1;

  if (picker) {
    var select = picker.querySelector("select");
    // A refused note comes back with its mentions chosen in the plain list: keep them.
    Array.from(select.selectedOptions).forEach(function (option) {
      picked.push({ id: option.value, name: option.dataset.name });
    });
    select.disabled = true;
    picker.hidden = true;
  }
  body.setAttribute("role", "combobox");
  body.setAttribute("aria-autocomplete", "list");
  body.setAttribute("aria-controls", list.id);
  body.setAttribute("aria-expanded", "false");
  showPicked();

  function showPicked() {
    chosen.textContent = "";
    picked.forEach(function (person, position) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "mentions";
      hidden.value = person.id;
      var chip = document.createElement("span");
      chip.className = "mention-chip";
      chip.textContent = "@" + person.name + " ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link-button";
      remove.textContent = "×";
      remove.setAttribute("aria-label", form.dataset.textRemove + " @" + person.name);
      remove.addEventListener("click", function () {
        picked.splice(position, 1);
        showPicked();
      });
      chip.appendChild(remove);
      chosen.appendChild(hidden);
      chosen.appendChild(chip);
    });
  }

  // The "@" before the caret and what follows it, if the caret is in a mention being typed.
  function typedMention() {
    var before = body.value.slice(0, body.selectionStart);
    var at = before.lastIndexOf("@");
    if (at === -1 || (at > 0 && !/\s/.test(before.charAt(at - 1)))) return null;
    var query = before.slice(at + 1);
    if (/\n/.test(query) || Array.from(query).length > 20) return null;
    var done = picked.some(function (person) {
      return query.indexOf(person.name + " ") === 0;
    });
    return done ? null : { start: at, query: query };
  }

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    body.setAttribute("aria-expanded", "false");
    body.removeAttribute("aria-activedescendant");
  }

  function show(colleagues, query) {
    list.textContent = "";
    active = -1;
    if (!colleagues.length) {
      if (/\s/.test(query)) return close(); // most likely plain text after a mention
      var none = document.createElement("li");
      none.className = "muted";
      none.setAttribute("aria-disabled", "true");
      none.textContent = form.dataset.textNone;
      list.appendChild(none);
    }
    colleagues.forEach(function (person, position) {
      var item = document.createElement("li");
      item.id = "mention-option-" + position;
      item.setAttribute("role", "option");
      item.dataset.id = person.id;
      item.dataset.name = person.name;
      var name = document.createElement("strong");
      name.textContent = person.name;
      item.appendChild(name);
      if (person.detail) {
        var detail = document.createElement("span");
        detail.className = "muted";
        detail.textContent = " · " + person.detail;
        item.appendChild(detail);
      }
      // mousedown, not click: the textarea keeps its focus and caret.
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(item);
      });
      list.appendChild(item);
    });
    list.hidden = false;
    body.setAttribute("aria-expanded", "true");
    highlight(1); // the first is picked by Enter unless the arrows choose another
  }

  function ask() {
    mention = typedMention();
    if (!mention) return close();
    var question = ++asked;
    var query = mention.query;
    fetch(url + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (answer) {
        if (question === asked && mention) show(answer.colleagues, query);
      })
      .catch(close);
  }

  function choose(item) {
    if (!mention) return;
    var name = item.dataset.name;
    var end = body.selectionStart;
    var text = "@" + name + " ";
    body.value = body.value.slice(0, mention.start) + text + body.value.slice(end);
    var caret = mention.start + text.length;
    body.setSelectionRange(caret, caret);
    if (!picked.some(function (person) { return person.id === item.dataset.id; })) {
      picked.push({ id: item.dataset.id, name: name });
      showPicked();
    }
    mention = null;
    close();
    body.focus();
  }

  function highlight(step) {
    var options = list.querySelectorAll("[role='option']");
    if (!options.length) return;
    if (active >= 0) options[active].removeAttribute("aria-selected");
    active = (active + step + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    body.setAttribute("aria-activedescendant", options[active].id);
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  body.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(event.key === "ArrowDown" ? 1 : -1);
    } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
      event.preventDefault();
      choose(list.querySelectorAll("[role='option']")[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });
  body.addEventListener("blur", function () { setTimeout(close, 100); });

  // A mention whose name was deleted from the text is no longer a mention.
  form.addEventListener("submit", function () {
    picked = picked.filter(function (person) {
      return body.value.indexOf("@" + person.name) !== -1;
    });
    showPicked();
  });
})();
