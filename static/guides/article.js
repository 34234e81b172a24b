// Small enhancements of the public pages (loaded by guides/base.html; mostly
// the article page's). Without JavaScript the page is
// complete: checklists are plain lists, numbers are text to select and
// tel: links to tap. With it:
// - each checklist item becomes a real checkbox, kept in localStorage per
//   page and list, so a reader can tick documents off and come back;
// - hotline numbers get a "Copy" button (the server sends it hidden);
// - the page tells the server it was read, once per tab session, with a
//   beacon (guides.public.views.article_read): the page itself stays cached.
(function () {
  "use strict";

  function storage() {
    try {
      var key = "hc-test";
      window.localStorage.setItem(key, key);
      window.localStorage.removeItem(key);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage disabled: ticks last for the visit
    }
  }

  var store = storage();
  var page = window.location.pathname;

  function hash(text) {
    // A short, stable key for an item's text: ticks follow the item, not its
    // position, when editors reorder or insert items.
    var h = 5381;
    for (var i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
    return (h >>> 0).toString(36);
  }

  document.querySelectorAll("ul.checklist[data-checklist]").forEach(function (list, listIndex) {
    var name = list.getAttribute("data-checklist");
    var key = "hc-checklist:" + page + ":" + name;
    var ticked = {};
    if (store) {
      try { ticked = JSON.parse(store.getItem(key) || "{}") || {}; } catch (error) { ticked = {}; }
    }
    list.querySelectorAll(":scope > li").forEach(function (item, index) {
      var text = item.textContent.trim();
      var id = hash(text);
      var input = document.createElement("input");
      input.type = "checkbox";
      input.id = "check-" + name + "-" + listIndex + "-" + index;
      input.checked = Boolean(ticked[id]);
      var label = document.createElement("label");
      label.htmlFor = input.id;
      var span = document.createElement("span");
      while (item.firstChild) span.appendChild(item.firstChild);
      label.appendChild(input);
      label.appendChild(span);
      item.appendChild(label);
      input.addEventListener("change", function () {
        if (input.checked) ticked[id] = 1; else delete ticked[id];
        if (!store) return;
        try {
          if (Object.keys(ticked).length) store.setItem(key, JSON.stringify(ticked));
          else store.removeItem(key);
        } catch (error) { /* storage full: the tick still shows */ }
      });
    });
    list.classList.add("is-enhanced");
  });

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // http:// pages (development) have no clipboard API: select and copy.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      area.remove();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  document.querySelectorAll("button.copy-button[data-copy]").forEach(function (button) {
    var label = button.firstChild ? button.firstChild.nodeValue : "";
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(button.getAttribute("data-copy")).then(function () {
        button.setAttribute("data-state", "done");
        if (button.firstChild) button.firstChild.nodeValue = button.getAttribute("data-copied") || label;
        window.setTimeout(function () {
          button.removeAttribute("data-state");
          if (button.firstChild) button.firstChild.nodeValue = label;
        }, 2000);
      }, function () { /* nothing copied: the number is still there to select */ });
    });
  });

  var script = document.currentScript || document.querySelector("script[data-read-url]");
  var readUrl = script && script.getAttribute("data-read-url");
  if (readUrl && navigator.sendBeacon) {
    var seen = "hc-read:" + page;
    var session = null;
    try { session = window.sessionStorage; } catch (error) { session = null; }
    if (!session || !session.getItem(seen)) {
      try { if (session) session.setItem(seen, "1"); } catch (error) { /* ignore */ }
      navigator.sendBeacon(readUrl);
    }
  }
})();
