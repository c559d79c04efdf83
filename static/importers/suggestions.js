/* Duplicate warnings and suggested tags on the case study and resource edit forms.
 *
 * Enhancement only: the same suggestions are a plain admin page ("Suggestions" in the page's
 * header menu). It warns and never blocks: nothing here stops a save.
 * Tag fields: checkboxes <input type="checkbox" name="themes" value="<pk>"> (or, in older
 * forms, a multiple select); "Apply" ticks the matching box.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.dataset.suggestionsUrl;

  function field(name) {
    return document.querySelector('form [name="' + name + '"]');
  }

  function pageType() {
    if (field("aims")) return "case_study";
    if (field("url_as_published")) return "resource";
    return null;
  }

  function value(name) {
    var element = field(name);
    return element && element.value ? element.value : "";
  }

  function ticked(name) {
    var values = [];
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]:checked').forEach(function (box) {
      values.push(box.value);
    });
    document.querySelectorAll('select[name="' + name + '"] option:checked').forEach(function (option) {
      values.push(option.value);
    });
    return values;
  }

  function apply(fieldName, pk) {
    var box = document.querySelector('input[type="checkbox"][name="' + fieldName + '"][value="' + pk + '"]');
    if (box) {
      if (!box.checked) {
        box.checked = true;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
      return true;
    }
    var option = document.querySelector('select[name="' + fieldName + '"] option[value="' + pk + '"]');
    if (option) {
      option.selected = true;
      option.parentElement.dispatchEvent(new Event("change", { bubbles: true }));
      return true;
    }
    return false;
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function render(panel, data) {
    panel.replaceChildren();
    panel.appendChild(element("h2", "This may already be in the knowledge base", "w-h3"));
    if (data.duplicates.length) {
      var list = element("ul");
      data.duplicates.forEach(function (page) {
        var item = element("li");
        var link = element("a", page.title);
        link.href = page.url;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" (" + page.type + ": " + page.reasons.join(", ") + ")"));
        list.appendChild(item);
      });
      panel.appendChild(list);
    } else {
      panel.appendChild(element("p", "No similar pages found."));
    }
    panel.appendChild(element("h2", "Suggested tags", "w-h3"));
    var tags = data.tags.filter(function (tag) { return ticked(tag.field).indexOf(String(tag.pk)) === -1; });
    if (!tags.length) {
      panel.appendChild(element("p", "No further tags suggested from the text."));
      return;
    }
    var tagList = element("ul");
    tags.forEach(function (tag) {
      var item = element("li");
      item.appendChild(document.createTextNode(tag.kind.charAt(0).toUpperCase() + tag.kind.slice(1) + ": "));
      item.appendChild(element("strong", tag.name));
      item.appendChild(document.createTextNode(" (the text says “" + tag.why + "”) "));
      var button = element("button", "Apply", "button button-small button-secondary");
      button.type = "button";
      button.dataset.field = tag.field;
      button.dataset.pk = tag.pk;
      button.setAttribute("aria-label", "Apply " + tag.kind + " " + tag.name);
      button.addEventListener("click", function () {
        if (apply(tag.field, tag.pk)) {
          item.replaceChildren(document.createTextNode(tag.name + ": applied."));
        }
      });
      item.appendChild(button);
      tagList.appendChild(item);
    });
    panel.appendChild(tagList);
  }

  function start() {
    var type = pageType();
    var form = field("title") && field("title").form;
    if (!endpoint || !type || !form) return;
    var token = form.querySelector('[name="csrfmiddlewaretoken"]');
    var match = window.location.pathname.match(/\/pages\/(\d+)\/edit\//);
    var panel = element("section", "", "kb-suggestions help-block help-info");
    panel.id = "kb-suggestions";
    panel.setAttribute("aria-live", "polite");
    var titleWrapper = field("title").closest(".w-panel") || field("title").parentElement;
    titleWrapper.parentElement.insertBefore(panel, titleWrapper.nextSibling);

    var timer = null;
    function refresh() {
      var body = new FormData();
      body.append("type", type);
      if (match) body.append("page", match[1]);
      body.append("title", value("title"));
      body.append("summary", value("summary"));
      body.append("text", ["aims", "what_was_done", "evaluation", "how_to_obtain", "audience"].map(value).join(" "));
      ticked("themes").forEach(function (pk) { body.append("theme", pk); });
      ticked("areas").forEach(function (pk) { body.append("area", pk); });
      fetch(endpoint, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: token ? { "X-CSRFToken": token.value } : {},
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) render(panel, data); })
        .catch(function () { /* a warning that cannot load must never get in the way */ });
    }
    form.addEventListener("input", function (event) {
      if (!event.target.name || ["title", "summary", "aims", "what_was_done", "evaluation", "how_to_obtain", "audience"].indexOf(event.target.name) === -1) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 800);
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "themes" || event.target.name === "areas") {
        clearTimeout(timer);
        timer = setTimeout(refresh, 800);
      }
    });
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
