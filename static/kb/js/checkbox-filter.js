// A filter box above each long list of tag checkboxes: type part of a name to narrow the list.
// Only hides rows; ticks stay as they are, and without JavaScript the whole list shows.
(function () {
  "use strict";

  function optionRows(list) {
    return Array.prototype.filter.call(list.querySelectorAll("div"), function (row) {
      return row.querySelector(":scope > label > input[type=checkbox]");
    });
  }

  function enhance(list) {
    if (list.dataset.kbFilterReady) return;
    list.dataset.kbFilterReady = "1";
    var rows = optionRows(list);
    var box = document.createElement("div");
    box.className = "kb-checkbox-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    var count = document.createElement("p");
    input.type = "search";
    input.id = list.id + "-filter";
    input.autocomplete = "off";
    label.htmlFor = input.id;
    label.textContent = "Filter this list";
    count.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(count);
    list.parentNode.insertBefore(box, list);

    function update() {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var match = !query || row.textContent.toLowerCase().indexOf(query) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      Array.prototype.forEach.call(list.children, function (group) {
        if (optionRows(group).length) {
          group.hidden = !optionRows(group).some(function (row) { return !row.hidden; });
        }
      });
      var ticked = list.querySelectorAll("input[type=checkbox]:checked").length;
      count.textContent = shown + " of " + rows.length + " shown, " + ticked + " ticked";
    }

    input.addEventListener("input", update);
    // Enter in a search box inside the page form would submit (save) the whole page: here it
    // only filters.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        update();
      }
    });
    list.addEventListener("change", update);
    update();
  }

  function enhanceAll() {
    document.querySelectorAll("div.kb-checkbox-list--filterable").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhanceAll);
  } else {
    enhanceAll();
  }
  document.addEventListener("w-formset:added", enhanceAll);
})();
