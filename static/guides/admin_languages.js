// Language tabs on the translated admin forms (article, carrier, card type).
//
// The server renders the tab bar hidden, one tab per language the form shows
// (the tenant's, its default first) and "All languages"; without JavaScript
// it stays hidden and every language's fields show one after another.
// modeltranslation marks each translated widget with a class
// "mt-field-<field>-<suffix>" (mt-field-title-zh_hans); that suffix, the tab's
// data-language, decides which cell (a fieldset row or a table cell of an
// inline, with its column header) belongs to which language. Strings come
// from the admin's JavaScript catalogue (gettext), loaded before this file.
(function () {
  "use strict";

  var STORAGE_KEY = "guides.admin.languageTab";
  var ALL = "all";
  var CELL = "[data-language-cell]";

  function stored() {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (error) {
      return null; // Storage disabled: start on the first tab.
    }
  }

  function store(language) {
    try {
      window.localStorage.setItem(STORAGE_KEY, language);
    } catch (error) {
      // Not remembered; the tabs still work.
    }
  }

  function LanguageTabs(bar) {
    this.bar = bar;
    this.form = bar.closest("form");
    this.tabs = Array.prototype.slice.call(bar.querySelectorAll("[role=tab]"));
    this.languages = this.tabs
      .map(function (tab) { return tab.dataset.language; })
      .filter(function (language) { return language !== ALL; });
    this.codes = {};
    this.tabs.forEach(function (tab) {
      this.codes[tab.dataset.language] = tab.dataset.code;
    }, this);
    this.current = null;
  }

  // The tab language of a modeltranslation widget, or null.
  LanguageTabs.prototype.languageOf = function (widget) {
    for (var i = 0; i < widget.classList.length; i++) {
      var name = widget.classList[i];
      if (name.indexOf("mt-field-") !== 0) {
        continue;
      }
      for (var j = 0; j < this.languages.length; j++) {
        if (name.slice(-this.languages[j].length - 1) === "-" + this.languages[j]) {
          return {
            language: this.languages[j],
            field: name.slice("mt-field-".length, -this.languages[j].length - 1),
          };
        }
      }
    }
    return null;
  };

  // Mark the cells of translated widgets under root with their language.
  LanguageTabs.prototype.scan = function (root) {
    var widgets = root.querySelectorAll(".mt");
    for (var i = 0; i < widgets.length; i++) {
      var widget = widgets[i];
      var found = this.languageOf(widget);
      if (!found) {
        continue;
      }
      if (this.codes[found.language]) {
        widget.lang = this.codes[found.language];
      }
      var cell = widget.closest("td, .fieldBox, .form-row");
      if (!cell || cell.hasAttribute("data-language-cell")) {
        continue;
      }
      cell.setAttribute("data-language-cell", found.language);
      cell.setAttribute("data-language-field", found.field);
      if (cell.tagName === "TD") {
        this.markHeader(cell, found.language);
      }
    }
  };

  // Mark the column header of an inline's table cell ("field-title_en" ->
  // "column-title_en") with the cell's language.
  LanguageTabs.prototype.markHeader = function (cell, language) {
    var table = cell.closest("table");
    for (var i = 0; i < cell.classList.length; i++) {
      var name = cell.classList[i];
      if (name.indexOf("field-") === 0 && table) {
        var header = table.querySelector("thead th.column-" + name.slice(6));
        if (header) {
          header.setAttribute("data-language-cell", language);
        }
      }
    }
  };

  // Put the rows of one field's languages (title_zh_hans, title_en) of the
  // main fieldsets in a group, so "All languages" shows them side by side.
  LanguageTabs.prototype.group = function () {
    var rows = this.form.querySelectorAll("fieldset .form-row[data-language-cell]");
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (row.closest(".inline-group") || row.parentElement.classList.contains("language-group")) {
        continue;
      }
      var field = row.getAttribute("data-language-field");
      var group = document.createElement("div");
      group.className = "language-group";
      row.parentElement.insertBefore(group, row);
      var next = row;
      while (
        next &&
        next.matches(".form-row[data-language-cell]") &&
        next.getAttribute("data-language-field") === field
      ) {
        var following = next.nextElementSibling;
        group.appendChild(next);
        next = following;
      }
    }
    this.form.style.setProperty("--language-count", String(this.languages.length));
  };

  LanguageTabs.prototype.show = function (language) {
    var cells = this.form.querySelectorAll(CELL);
    for (var i = 0; i < cells.length; i++) {
      var other = language !== ALL && cells[i].getAttribute("data-language-cell") !== language;
      cells[i].classList.toggle("language-hidden", other);
    }
    this.form.classList.toggle("language-tabs-all", language === ALL);
  };

  LanguageTabs.prototype.select = function (tab, options) {
    options = options || {};
    this.current = tab.dataset.language;
    this.tabs.forEach(function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.tabIndex = selected ? 0 : -1;
    });
    this.show(this.current);
    if (options.focus) {
      tab.focus();
    }
    if (options.remember) {
      store(this.current);
    }
  };

  LanguageTabs.prototype.tabFor = function (language) {
    for (var i = 0; i < this.tabs.length; i++) {
      if (this.tabs[i].dataset.language === language) {
        return this.tabs[i];
      }
    }
    return null;
  };

  // Whether a widget is one the editor is going to send (not the template
  // row of "Add another", not a row marked for deletion).
  function counts(widget) {
    if (widget.name.indexOf("__prefix__") !== -1) {
      return false;
    }
    var row = widget.closest("tr.form-row, .inline-related");
    var remove = row && row.querySelector("input[type=checkbox][name$='-DELETE']");
    return !(remove && remove.checked);
  }

  LanguageTabs.prototype.updateBadges = function () {
    var empty = {};
    this.languages.forEach(function (language) { empty[language] = 0; });
    var widgets = this.form.querySelectorAll(".mt");
    for (var i = 0; i < widgets.length; i++) {
      var found = this.languageOf(widgets[i]);
      if (found && counts(widgets[i]) && !widgets[i].value.trim()) {
        empty[found.language] += 1;
      }
    }
    this.tabs.forEach(function (tab) {
      var badge = tab.querySelector(".language-tab-badge");
      if (!badge) {
        return;
      }
      var count = empty[tab.dataset.language] || 0;
      var text = interpolate(
        ngettext("%(count)s empty field", "%(count)s empty fields", count),
        {count: count},
        true
      );
      badge.hidden = count === 0;
      badge.textContent = "";
      var number = document.createElement("span");
      number.setAttribute("aria-hidden", "true");
      number.textContent = String(count);
      var label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = text;
      badge.title = text;
      badge.appendChild(number);
      badge.appendChild(label);
    });
  };

  // Mark the tabs whose fields came back with errors; return the language of
  // the first error on the page, or null.
  LanguageTabs.prototype.markErrors = function () {
    var first = null;
    var errors = this.form.querySelectorAll(".errorlist");
    for (var i = 0; i < errors.length; i++) {
      var cell = errors[i].closest(CELL);
      if (!cell) {
        continue;
      }
      var language = cell.getAttribute("data-language-cell");
      var tab = this.tabFor(language);
      if (tab && !tab.classList.contains("has-errors")) {
        tab.classList.add("has-errors");
        var note = document.createElement("span");
        note.className = "language-tab-error";
        note.textContent = gettext("(has errors)");
        tab.appendChild(note);
      }
      first = first || language;
    }
    return first;
  };

  LanguageTabs.prototype.onKeydown = function (event) {
    var index = this.tabs.indexOf(event.target.closest("[role=tab]"));
    if (index === -1) {
      return;
    }
    var last = this.tabs.length - 1;
    var next = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    }[event.key];
    if (next === undefined) {
      return;
    }
    event.preventDefault();
    this.select(this.tabs[next], {focus: true, remember: true});
  };

  LanguageTabs.prototype.init = function () {
    var self = this;
    this.scan(this.form);
    this.group();
    var errorLanguage = this.markErrors();
    var initial =
      this.tabFor(errorLanguage) || this.tabFor(stored()) || this.tabs[0];
    this.select(initial);
    this.updateBadges();
    this.bar.hidden = false;

    this.bar.addEventListener("click", function (event) {
      var tab = event.target.closest("[role=tab]");
      if (tab) {
        self.select(tab, {remember: true});
      }
    });
    this.bar.addEventListener("keydown", function (event) { self.onKeydown(event); });
    this.form.addEventListener("input", function () { self.updateBadges(); });
    this.form.addEventListener("change", function () { self.updateBadges(); });
    // Rows added with "Add another ..." are copies of the template row.
    document.addEventListener("formset:added", function (event) {
      self.scan(event.target);
      self.show(self.current);
      self.updateBadges();
    });
    document.addEventListener("formset:removed", function () { self.updateBadges(); });
  };

  function start() {
    var bar = document.querySelector("[data-language-tabs]");
    if (bar && bar.closest("form")) {
      new LanguageTabs(bar).init();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
