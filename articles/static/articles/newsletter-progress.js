// The newsletters desk: while an issue is sending, refresh its numbers and progress bar
// from the progress endpoint every few seconds; once it is sent, reload for the final
// counts. Without JavaScript the page's reload link does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var url = box.getAttribute("data-progress-url");
  var field = function (name) { return box.querySelector('[data-progress="' + name + '"]'); };
  function update(data) {
    field("sent").textContent = data.sent;
    field("total").textContent = data.total;
    field("percent").textContent = data.percent;
    field("bar").value = data.percent;
    field("bar").textContent = data.percent + "%";
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        update(data);
        if (data.status !== "sending") {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 3000);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 3000);
})();
