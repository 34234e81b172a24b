// Search as you type: fills the suggestion list under a search box that has
// data-suggest-url. Without JavaScript the box is a plain GET form.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    var timer = null;
    var last = "";
    var controller = null;

    function clear() {
      list.hidden = true;
      list.replaceChildren();
      input.removeAttribute("aria-expanded");
    }

    function show(items) {
      list.replaceChildren();
      items.slice(0, 8).forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.title; // text only: titles are never parsed as HTML
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (!q) { clear(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(q);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === q) show(data.suggestions || []); })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") clear();
      if (event.key === "ArrowDown" && !list.hidden) {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    document.addEventListener("click", function (event) {
      if (!list.contains(event.target) && event.target !== input) clear();
    });
  });
})();
