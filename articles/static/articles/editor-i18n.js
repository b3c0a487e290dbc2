// The rich-text editor speaks the page's language: django-prose-editor asks window.gettext
// for its dialogs' words, and story-editor.js uses the same table for the toolbar's labels,
// which the package writes in English. A plain script, run before the editor's modules.
(function () {
  "use strict";
  var data = document.getElementById("editor-labels");
  var labels = data ? JSON.parse(data.textContent) : {};
  if (!window.gettext) {
    window.gettext = function (text) {
      return Object.prototype.hasOwnProperty.call(labels, text) ? labels[text] : text;
    };
  }
})();
