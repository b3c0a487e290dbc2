// A page from the page cache is the same for everyone. For a signed-in reader (the
// newsroom_member cookie, set at log-in) this asks once for their own parts: the header's
// name and log-out, any message waiting for them, and parts such as the comment block,
// each replacing the element marked data-personal="name". Without this script the page
// still links to log-in, and every form works as a plain post.
(function () {
  "use strict";

  var url = document.body.dataset.personalUrl;
  if (!url || !/(?:^|;\s*)newsroom_member=/.test(document.cookie)) return;

  // The page's own parameters (a comment sort or page) and each part's own (its story).
  var query = new URLSearchParams(window.location.search);
  document.querySelectorAll("[data-personal][data-personal-query]").forEach(function (part) {
    new URLSearchParams(part.dataset.personalQuery).forEach(function (value, name) {
      query.set(name, value);
    });
  });

  function replace(name, html) {
    var part = document.querySelector('[data-personal="' + name + '"]');
    if (!part || typeof html !== "string") return;
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    if (part.hasAttribute("data-personal-whole")) {
      var fresh = holder.content.firstElementChild;
      if (fresh) part.replaceWith(fresh);
    } else {
      part.replaceChildren(holder.content);
    }
  }

  fetch(url + "?" + query.toString(), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then(function (response) {
      if (!response.ok) throw new Error("no personal parts");
      return response.json();
    })
    .then(function (personal) {
      if (!personal.signed_in) return; // the session ended: the page is right as it is
      replace("account", personal.account);
      replace("messages", personal.messages);
      Object.keys(personal.parts || {}).forEach(function (name) {
        replace(name, personal.parts[name]);
      });
    })
    .catch(function () {
      // The cached page stays as it is: it works for a signed-in reader too, via log-in.
    });
})();
