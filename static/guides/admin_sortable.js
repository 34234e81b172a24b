// Reorder the rows of tabular inlines that have a sort_order column (steps,
// requirements, tips, FAQs, carrier channels): drag a row by its handle, or
// use its "Move up" / "Move down" buttons.
//
// The order boxes stay real inputs, and they are what the server saves by
// (guides.admin._formset_parts sorts by them): after a move they are
// rewritten 0, 1, 2 ... in row order, as services._write_parts stores them.
// Without JavaScript the editor types the numbers instead. Strings come from
// the admin's JavaScript catalogue (gettext), loaded before this file.
(function () {
  "use strict";

  var ORDER = "input[name$='-sort_order']";

  function prefixOf(group) {
    try {
      return JSON.parse(group.dataset.inlineFormset).options.prefix;
    } catch (error) {
      return null;
    }
  }

  function body(group) {
    return group.querySelector(".tabular table > tbody");
  }

  // The group's form rows in page order, without the "Add another" template.
  function rows(group) {
    var tbody = body(group);
    if (!tbody) {
      return [];
    }
    return Array.prototype.filter.call(tbody.children, function (row) {
      return row.matches("tr.form-row:not(.empty-form)") && row.querySelector(ORDER);
    });
  }

  function orderInput(row) {
    return row.querySelector(ORDER);
  }

  // A row and the row of its form-wide errors above it move together.
  function block(row) {
    var before = row.previousElementSibling;
    var moving = [row];
    if (before && before.classList.contains("row-form-errors")) {
      moving.unshift(before);
    }
    return moving;
  }

  function placeBefore(row, reference) {
    var tbody = reference.parentNode;
    var anchor = block(reference)[0];
    block(row).forEach(function (part) { tbody.insertBefore(part, anchor); });
  }

  function placeAfter(row, reference) {
    var tbody = reference.parentNode;
    var anchor = reference.nextSibling;
    block(row).forEach(function (part) { tbody.insertBefore(part, anchor); });
  }

  function isNew(row) {
    return !row.classList.contains("has_original");
  }

  // Whether every control of a new row still holds its template value: such
  // a row is left out when saving, and must stay unchanged for the server.
  function pristine(row) {
    var controls = row.querySelectorAll("input, select, textarea");
    for (var i = 0; i < controls.length; i++) {
      var control = controls[i];
      if (control.matches(ORDER) || control.type === "hidden") {
        continue;
      }
      if (control.type === "checkbox" || control.type === "radio") {
        if (control.checked !== control.defaultChecked) {
          return false;
        }
      } else if (control.tagName === "SELECT") {
        for (var j = 0; j < control.options.length; j++) {
          if (control.options[j].selected !== control.options[j].defaultSelected) {
            return false;
          }
        }
      } else if (control.value !== control.defaultValue) {
        return false;
      }
    }
    return true;
  }

  function Sortable(group, prefix) {
    this.group = group;
    this.prefix = prefix;
    this.status = document.createElement("p");
    this.status.className = "sortable-status visually-hidden";
    this.status.setAttribute("aria-live", "polite");
    group.appendChild(this.status);
    group.classList.add("sortable-inline");
  }

  Sortable.prototype.decorate = function (row) {
    var input = orderInput(row);
    if (!input || row.querySelector(".sortable-controls")) {
      return;
    }
    var controls = document.createElement("span");
    controls.className = "sortable-controls";
    var handle = document.createElement("span");
    handle.className = "sortable-handle";
    // Pointer only: keyboard users have the buttons next to it.
    handle.setAttribute("aria-hidden", "true");
    handle.title = gettext("Drag to reorder");
    handle.textContent = "\u2630";
    controls.appendChild(handle);
    [["up", -1, "\u2191", gettext("Move up")], ["down", 1, "\u2193", gettext("Move down")]]
      .forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sortable-move sortable-move-" + spec[0];
        button.dataset.move = String(spec[1]);
        button.textContent = spec[2];
        button.setAttribute("aria-label", spec[3]);
        button.title = spec[3];
        controls.appendChild(button);
      });
    input.parentNode.insertBefore(controls, input);
    // Django's tabular inlines leave their inputs unlabelled; name the box
    // after its column ("Order"), which the buttons next to it rewrite.
    var header = row.closest("table").querySelector("thead th.column-sort_order");
    if (header && !input.hasAttribute("aria-label")) {
      input.setAttribute("aria-label", header.textContent.trim());
    }
  };

  Sortable.prototype.refresh = function () {
    var all = rows(this.group);
    all.forEach(function (row, index) {
      this.decorate(row);
      row.querySelector(".sortable-move-up").disabled = index === 0;
      row.querySelector(".sortable-move-down").disabled = index === all.length - 1;
    }, this);
  };

  // Write 0, 1, 2 ... into the order boxes, in row order.
  Sortable.prototype.renumber = function () {
    rows(this.group).forEach(function (row, index) {
      orderInput(row).value = String(index);
    });
    this.refresh();
  };

  Sortable.prototype.announce = function (row) {
    var all = rows(this.group);
    this.status.textContent = interpolate(
      gettext("Moved to position %(position)s of %(count)s."),
      {position: all.indexOf(row) + 1, count: all.length},
      true
    );
  };

  Sortable.prototype.move = function (button) {
    var row = button.closest("tr");
    var all = rows(this.group);
    var index = all.indexOf(row);
    var step = Number(button.dataset.move);
    var target = all[index + step];
    if (!target) {
      return;
    }
    if (step < 0) {
      placeBefore(row, target);
    } else {
      placeAfter(row, target);
    }
    this.renumber();
    this.announce(row);
    // Moving the row took the focus away; keep it on the button, or on its
    // twin when this one is disabled at the top or bottom.
    var twin = row.querySelector(step < 0 ? ".sortable-move-down" : ".sortable-move-up");
    (button.disabled ? twin : button).focus();
  };

  // Drag by the handle with pointer events (mouse, pen and touch alike).
  Sortable.prototype.drag = function (event) {
    var handle = event.target.closest(".sortable-handle");
    if (!handle || event.button !== 0) {
      return;
    }
    var self = this;
    var row = handle.closest("tr");
    var before = rows(this.group).indexOf(row);
    event.preventDefault();
    row.classList.add("sortable-dragging");
    document.body.classList.add("sortable-active");

    function over(clientY) {
      var all = rows(self.group);
      var mine = all.indexOf(row);
      var height = row.getBoundingClientRect().height;
      for (var i = 0; i < all.length; i++) {
        if (all[i] === row) {
          continue;
        }
        var box = all[i].getBoundingClientRect();
        if (clientY < box.top || clientY > box.bottom) {
          continue;
        }
        // Take the row's place once the pointer is where the dragged row
        // will be after the move; a taller row is not swapped back and forth.
        if (i < mine && clientY <= box.top + height) {
          placeBefore(row, all[i]);
        } else if (i > mine && clientY >= box.bottom - height) {
          placeAfter(row, all[i]);
        }
        return;
      }
    }

    // Near the top or bottom of the window, scroll, so a row can travel
    // further than the screen shows.
    var lastY = event.clientY;
    var frame = null;
    function scroll() {
      var edge = 48;
      var speed = 0;
      if (lastY < edge) {
        speed = -Math.ceil((edge - lastY) / 3);
      } else if (lastY > window.innerHeight - edge) {
        speed = Math.ceil((lastY - window.innerHeight + edge) / 3);
      }
      frame = null;
      if (speed) {
        window.scrollBy(0, speed);
        over(lastY);
        frame = window.requestAnimationFrame(scroll);
      }
    }

    function moved(moveEvent) {
      if (moveEvent.pointerId === event.pointerId) {
        lastY = moveEvent.clientY;
        over(lastY);
        if (frame === null) {
          frame = window.requestAnimationFrame(scroll);
        }
      }
    }

    function dropped(upEvent) {
      if (upEvent.pointerId !== event.pointerId) {
        return;
      }
      document.removeEventListener("pointermove", moved);
      document.removeEventListener("pointerup", dropped);
      document.removeEventListener("pointercancel", dropped);
      if (frame !== null) {
        window.cancelAnimationFrame(frame);
      }
      row.classList.remove("sortable-dragging");
      document.body.classList.remove("sortable-active");
      if (rows(self.group).indexOf(row) !== before) {
        self.renumber();
        self.announce(row);
      }
    }

    // On the document, not captured by the handle: moving the row in the
    // page releases a pointer capture.
    document.addEventListener("pointermove", moved);
    document.addEventListener("pointerup", dropped);
    document.addEventListener("pointercancel", dropped);
  };

  // A form that came back with errors lists its rows in form order; show
  // them in the order their boxes will be saved in (new rows still blank last).
  Sortable.prototype.sortByBoxes = function () {
    var all = rows(this.group);
    var keyed = all.map(function (row, index) {
      var value = parseInt(orderInput(row).value, 10);
      var blank = isNew(row) && pristine(row);
      return {row: row, index: index, key: blank || isNaN(value) ? Infinity : value};
    });
    keyed.sort(function (a, b) { return a.key - b.key || a.index - b.index; });
    var changed = keyed.some(function (item, index) { return item.index !== index; });
    if (!changed) {
      return;
    }
    var tbody = body(this.group);
    var end = all[all.length - 1].nextSibling;
    keyed.forEach(function (item) {
      block(item.row).forEach(function (part) { tbody.insertBefore(part, end); });
    });
  };

  // A new row goes last: give it the next number, so it is saved there too.
  Sortable.prototype.added = function (row) {
    var highest = -1;
    rows(this.group).forEach(function (other) {
      var value = parseInt(orderInput(other).value, 10);
      if (other !== row && !isNaN(value)) {
        highest = Math.max(highest, value);
      }
    });
    orderInput(row).value = String(highest + 1);
    this.refresh();
  };

  // Renumber the form names so Django's formset reads them right: saved rows
  // first (indexes below INITIAL_FORMS, as their ids require), then new ones,
  // each in page order. Django's own "remove" renumbers in page order, which
  // after a drag can put a new row among the saved ones.
  Sortable.prototype.reindex = function () {
    var prefix = this.prefix;
    var pattern = new RegExp("(" + prefix + "-)(\\d+|__prefix__)(?=-|$)");
    var all = rows(this.group);
    var ordered = all.filter(function (row) { return !isNew(row); })
      .concat(all.filter(isNew));
    ordered.forEach(function (row, index) {
      var elements = [row].concat(Array.prototype.slice.call(row.querySelectorAll("*")));
      elements.forEach(function (element) {
        ["id", "name", "for", "aria-describedby"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value && pattern.test(value)) {
            element.setAttribute(
              attribute,
              value.split(" ").map(function (part) {
                return part.replace(pattern, "$1" + index);
              }).join(" ")
            );
          }
        });
      });
    });
  };

  // Before sending: new rows nobody filled in get their template number back,
  // or Django would take them for changed rows and ask for their fields.
  Sortable.prototype.beforeSubmit = function () {
    rows(this.group).forEach(function (row) {
      if (isNew(row) && pristine(row)) {
        var input = orderInput(row);
        input.value = input.defaultValue;
      }
    });
    this.reindex();
  };

  Sortable.prototype.init = function () {
    var self = this;
    this.sortByBoxes();
    this.refresh();
    this.group.addEventListener("click", function (event) {
      var button = event.target.closest(".sortable-move");
      if (button && self.group.contains(button)) {
        self.move(button);
      }
    });
    this.group.addEventListener("pointerdown", function (event) { self.drag(event); });
    var form = this.group.closest("form");
    if (form) {
      form.addEventListener("submit", function () { self.beforeSubmit(); });
    }
  };

  var sortables = {};

  function start() {
    var groups = document.querySelectorAll(".js-inline-admin-formset[data-inline-type=tabular]");
    for (var i = 0; i < groups.length; i++) {
      var prefix = prefixOf(groups[i]);
      var template = groups[i].querySelector("tr.form-row");
      if (prefix && template && template.querySelector(ORDER)) {
        sortables[prefix] = new Sortable(groups[i], prefix);
        sortables[prefix].init();
      }
    }
  }

  document.addEventListener("formset:added", function (event) {
    var sortable = sortables[event.detail && event.detail.formsetName];
    if (sortable) {
      sortable.added(event.target);
    }
  });
  document.addEventListener("formset:removed", function (event) {
    var sortable = sortables[event.detail && event.detail.formsetName];
    if (sortable) {
      // Django renumbers the names after announcing the removal.
      window.setTimeout(function () { sortable.refresh(); }, 0);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
