/*
 * Enhancements for search and print. Everything here is optional: without JavaScript every
 * journey works as the server renders it.
 *
 * - Suggestions as you type on every box with data-suggest (alphagov accessible-autocomplete,
 *   served from our static files), from the suggest endpoint: debounced, the request in flight
 *   cancelled when the user types on, and each title shown as text (never as HTML).
 * - The search page's filters: on small screens, collapsed behind a button above the results
 *   (the GOV.UK finder pattern); after filters are applied, focus moves to the results count.
 * - Print: links print with absolute addresses, every page with its address and the date it was
 *   printed, and a print button where a page offers one.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_LENGTH = 2;
  var SMALL_SCREEN = "(max-width: 47.9375em)"; // below the NHS.UK frontend's tablet breakpoint
  var FOCUS_RESULTS_KEY = "kb-focus-results";

  // --- suggestions as you type ------------------------------------------------------------

  function suggestionSource(url) {
    var timer = null;
    var controller = null;
    return function (query, populateResults) {
      window.clearTimeout(timer);
      if (controller) {
        controller.abort(); // the user typed on: the older answer is no longer wanted
        controller = null;
      }
      if (query.trim().length < MIN_LENGTH) {
        populateResults([]);
        return;
      }
      timer = window.setTimeout(function () {
        var current = (controller = window.AbortController ? new AbortController() : null);
        fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          signal: current ? current.signal : undefined,
        })
          .then(function (response) {
            return response.ok ? response.json() : { suggestions: [] };
          })
          .then(function (body) {
            if (controller === current) {
              populateResults(body.suggestions || []);
            }
          })
          .catch(function () {
            /* aborted or offline: leave the box as it is */
          });
      }, DEBOUNCE_MS);
    };
  }

  // accessible-autocomplete inserts a suggestion template's result as HTML; a suggestion is a
  // page title, so it is escaped and shown as text whatever it contains.
  function asText(value) {
    return String(value == null ? "" : value)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  var SUGGESTION_TEMPLATES = {
    inputValue: function (suggestion) {
      return suggestion == null ? "" : String(suggestion); // a value, never parsed as HTML
    },
    suggestion: asText,
  };

  function enhanceSearchBox(input) {
    var form = input.form;
    var container = document.createElement("div");
    container.className = "kb-autocomplete";
    input.parentNode.insertBefore(container, input);
    var options = {
      element: container,
      id: input.id,
      name: input.name,
      defaultValue: input.value,
      source: suggestionSource(input.getAttribute("data-suggest")),
      minLength: MIN_LENGTH,
      autoselect: false,
      confirmOnBlur: false,
      showNoOptionsFound: false,
      displayMenu: "overlay",
      inputClasses: input.className,
      menuAttributes: { "aria-label": "Suggested titles" },
      templates: SUGGESTION_TEMPLATES,
      onConfirm: function (chosen) {
        if (chosen) {
          document.getElementById(options.id).value = chosen;
          submit(form);
        }
      },
    };
    input.parentNode.removeChild(input);
    window.accessibleAutocomplete(options);
    var field = document.getElementById(options.id);
    field.setAttribute("type", "search");
    field.setAttribute("maxlength", "200");
    // Enter with no suggestion highlighted searches for what was typed (the component would
    // otherwise only close its menu).
    container.addEventListener(
      "keydown",
      function (event) {
        if (event.key === "Enter" && !container.querySelector("[aria-selected='true']")) {
          event.preventDefault();
          event.stopPropagation();
          submit(form);
        }
      },
      true,
    );
  }

  function submit(form) {
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  // --- filters on small screens, focus after applying them -------------------------------

  function enhanceFilters() {
    var panel = document.getElementById("filters");
    var results = document.querySelector(".kb-results-column");
    if (!panel || !results || !window.matchMedia) {
      return;
    }
    var selected = panel.querySelectorAll("input[type=checkbox]:checked").length;
    var row = document.createElement("div");
    row.className = "nhsuk-grid-column-full kb-filters__toggle-row";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nhsuk-button nhsuk-button--secondary kb-filters__toggle";
    button.setAttribute("aria-controls", "filters");
    button.setAttribute("aria-expanded", "false");
    button.textContent = selected ? "Filter results (" + selected + " selected)" : "Filter results";
    row.appendChild(button);
    var home = document.createComment("filters");
    panel.parentNode.insertBefore(home, panel);
    var small = window.matchMedia(SMALL_SCREEN);
    var expanded = false;

    function layout() {
      if (small.matches) {
        results.parentNode.insertBefore(row, results);
        results.parentNode.insertBefore(panel, results);
        panel.hidden = !expanded;
      } else {
        if (row.parentNode) {
          row.parentNode.removeChild(row);
        }
        home.parentNode.insertBefore(panel, home);
        panel.hidden = false;
      }
    }
    button.addEventListener("click", function () {
      expanded = !expanded;
      button.setAttribute("aria-expanded", String(expanded));
      panel.hidden = !expanded;
    });
    if (small.addEventListener) {
      small.addEventListener("change", layout);
    } else if (small.addListener) {
      small.addListener(layout);
    }
    layout();

    var form = panel.closest("form");
    if (form) {
      form.addEventListener("submit", function (event) {
        var submitter = event.submitter;
        if (!submitter || panel.contains(submitter)) {
          remember();
        }
      });
    }
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest(".kb-active-filters a")) {
        remember();
      }
    });
  }

  function remember() {
    try {
      window.sessionStorage.setItem(FOCUS_RESULTS_KEY, "1");
    } catch (error) {
      /* storage disabled: focus stays where the browser puts it */
    }
  }

  function focusResultsAfterFiltering() {
    var flag = null;
    try {
      flag = window.sessionStorage.getItem(FOCUS_RESULTS_KEY);
      window.sessionStorage.removeItem(FOCUS_RESULTS_KEY);
    } catch (error) {
      return;
    }
    var count = document.getElementById("result-count");
    if (flag && count) {
      count.focus();
    }
  }

  // --- print ----------------------------------------------------------------------------

  function preparePrint() {
    var links = document.querySelectorAll("main a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (href && href.charAt(0) !== "#" && !/^(mailto|tel|javascript):/i.test(href)) {
        links[i].setAttribute("data-print-url", links[i].href);
      }
    }
    var stamp = document.querySelector("[data-print-date]");
    if (stamp) {
      stamp.textContent = new Date().toLocaleDateString("en-GB", {
        day: "numeric",
        month: "long",
        year: "numeric",
      });
    }
  }

  function enhancePrintButtons() {
    var buttons = document.querySelectorAll("[data-print-button]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        preparePrint();
        window.print();
      });
    }
  }

  function init() {
    if (window.accessibleAutocomplete) {
      var boxes = document.querySelectorAll("input[data-suggest]");
      for (var i = 0; i < boxes.length; i++) {
        enhanceSearchBox(boxes[i]);
      }
    }
    enhanceFilters();
    focusResultsAfterFiltering();
    enhancePrintButtons();
    preparePrint();
    window.addEventListener("beforeprint", preparePrint);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
