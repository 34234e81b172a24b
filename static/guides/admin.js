// Markdown preview for step bodies on the article change form.
// Without JavaScript the textareas work as before; this only adds a toggle.
(function () {
  "use strict";
  var script = document.currentScript;
  var previewUrl = script && script.dataset.previewUrl;
  var BODY = /^steps-(\d+|__prefix__)-body_/;

  function csrfToken(textarea) {
    var form = textarea.form || document;
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function addToggle(textarea) {
    if (!previewUrl || textarea.dataset.previewReady || !BODY.test(textarea.name)) {
      return;
    }
    if (textarea.name.indexOf("__prefix__") !== -1) {
      return; // The hidden template row; its copies are handled when added.
    }
    textarea.dataset.previewReady = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-toggle";
    button.textContent = gettext("Preview");
    var output = document.createElement("div");
    output.className = "markdown-preview";
    output.hidden = true;
    output.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () {
      if (!output.hidden) {
        output.hidden = true;
        textarea.hidden = false;
        button.textContent = gettext("Preview");
        return;
      }
      var body = new URLSearchParams();
      body.set("text", textarea.value);
      fetch(previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken(textarea)},
        body: body,
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.statusText);
          }
          return response.json();
        })
        .then(function (data) {
          // The server sanitised the HTML (guides.markup.render_markdown).
          output.innerHTML = data.html;
          output.hidden = false;
          textarea.hidden = true;
          button.textContent = gettext("Edit");
        })
        .catch(function () {
          output.textContent = gettext("The preview is not available right now.");
          output.hidden = false;
        });
    });
    textarea.insertAdjacentElement("afterend", output);
    output.insertAdjacentElement("afterend", button);
  }

  function scan(root) {
    root.querySelectorAll("textarea").forEach(addToggle);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  // Django's admin announces rows added with "Add another step".
  document.addEventListener("formset:added", function (event) { scan(event.target); });
})();
