// The comment block: the live byte counter under each box, and every comment action (post,
// reply, like, report, delete, sort, page) sent with fetch, the block's HTML swapped in.
// Without this script each action is a plain form post or link and works the same.
//
// byteCount() must count exactly like comments/rules.py (the server's one definition):
// line endings to LF, control characters other than LF and the bidi controls removed, NFC,
// then 1 for a code point below U+0080 and 2 for any other. Strings here are UTF-16:
// `for...of` walks code points, so an emoji counts once. Node loads this file for the
// tests (module.exports).
(function () {
  "use strict";

  // \r\n and \r become \n; then C0 and C1 controls other than \n go (Python's category Cc),
  // and the bidi embedding, override and isolate controls (rules.BIDI_CONTROLS).
  var LINE_ENDINGS = /\r\n?/g;
  var CONTROLS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

  function normalise(text) {
    return text.replace(LINE_ENDINGS, "\n").replace(CONTROLS, "").normalize("NFC");
  }

  function byteCount(text) {
    var total = 0;
    for (var character of normalise(text)) {
      total += character.codePointAt(0) < 0x80 ? 1 : 2;
    }
    return total;
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { normalise: normalise, byteCount: byteCount };
    return;
  }

  // Over the limit the text stays as typed; the button waits, saying how much to remove.
  function updateCounter(box) {
    var form = box.form;
    var shown = form && form.querySelector("[data-bytes]");
    if (!shown) return;
    var size = byteCount(box.value);
    var over = size - parseInt(box.dataset.maxBytes, 10);
    shown.textContent = String(size);
    var counter = shown.closest("[data-counter]");
    if (counter) counter.classList.toggle("is-over", over > 0);
    var reason = form.querySelector("[data-over]");
    if (reason) {
      reason.hidden = over <= 0;
      reason.textContent = over > 0 ? box.dataset.overMessage.replace("{bytes}", String(over)) : "";
    }
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = over > 0;
  }

  var BOXES = "[data-comments] textarea[data-max-bytes]";

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box.matches && box.matches(BOXES)) updateCounter(box);
  });
  // A refused text the server gave back may be over already.
  document.querySelectorAll(BOXES).forEach(updateCounter);

  function swap(section, html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var fresh = holder.content.querySelector("[data-comments]");
    if (!fresh) return null;
    section.replaceWith(fresh);
    fresh.querySelectorAll("textarea[data-max-bytes]").forEach(updateCounter);
    return fresh;
  }

  function send(section, url, options) {
    section.classList.add("is-busy");
    options.headers = { "X-Requested-With": "fetch" };
    options.credentials = "same-origin";
    return fetch(url, options).then(function (response) {
      // Anything but the block (a log-in page, a server error) is left to the browser.
      if (!response.headers.get("X-Comments-Block")) throw new Error("not the block");
      return response.text().then(function (html) {
        var fresh = swap(section, html);
        if (!fresh) throw new Error("not the block");
        var problem = fresh.querySelector(".comment-errors");
        var box = problem && problem.closest("form").querySelector("textarea");
        if (box) box.focus();
        return fresh;
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var section = form.closest("[data-comments]");
    if (!section || !form.matches("[data-comments-form]")) return;
    event.preventDefault();
    if (section.classList.contains("is-busy")) return; // a second click while the first runs
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    send(section, form.action, { method: "POST", body: data }).catch(function () {
      // The plain post: the same action without the script.
      if (submitter && submitter.name) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = submitter.name;
        field.value = submitter.value;
        form.appendChild(field);
      }
      section.classList.remove("is-busy");
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-comments-link]");
    var section = link && link.closest("[data-comments]");
    if (!section || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var target = new URL(link.href);
    send(section, section.dataset.fragmentUrl + target.search, { method: "GET" }).then(
      function (fresh) {
        window.history.replaceState(null, "", target.pathname + target.search + "#comments");
        fresh.scrollIntoView({ block: "start" });
      },
      function () { window.location.href = link.href; }
    );
  });
})();
