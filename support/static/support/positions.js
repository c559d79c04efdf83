// Enhancement only (support/panels.py): each pack item has a "Position" number. Without
// JavaScript the team types the numbers and saves. With it, an item moves as soon as its number
// changes (typing then Enter or Tab, or the up and down arrows), the other numbers follow, and
// every move (Wagtail's Move up and Move down buttons included) is announced to screen readers.
(() => {
  const ROW = "[data-inline-panel-child]";
  let announcer = null;

  function announce(message) {
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.className = "w-sr-only";
      announcer.setAttribute("aria-live", "polite");
      announcer.setAttribute("data-support-position-announcer", "");
      document.body.appendChild(announcer);
    }
    // A fresh text node each time, so the same words twice are still read out.
    announcer.textContent = "";
    window.setTimeout(() => {
      announcer.textContent = message;
    }, 50);
  }

  function rowsOf(container) {
    return Array.from(container.children).filter(
      (row) => row.matches(ROW) && !row.classList.contains("deleted"),
    );
  }

  function titleOf(row) {
    const title = row.querySelector("[data-chooser-title]");
    return (title && title.textContent.trim()) || "The item";
  }

  function renumber(container) {
    const rows = rowsOf(container);
    rows.forEach((row, index) => {
      const input = row.querySelector("[data-support-position]");
      if (input) input.value = String(index + 1);
      const count = row.querySelector("[data-inline-panel-child-count]");
      if (count) count.textContent = ` ${index + 1}`;
      const up = row.querySelector("[data-inline-panel-child-move-up]");
      const down = row.querySelector("[data-inline-panel-child-move-down]");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === rows.length - 1;
    });
    return rows.length;
  }

  function moveTo(input) {
    const row = input.closest(ROW);
    if (!row) return;
    const container = row.parentElement;
    const others = rowsOf(container).filter((other) => other !== row);
    const typed = parseInt(input.value, 10);
    const current = rowsOf(container).indexOf(row) + 1;
    if (Number.isNaN(typed)) {
      input.value = String(current);
      return;
    }
    const target = Math.min(Math.max(typed, 1), others.length + 1);
    if (target !== current) {
      // Moving the row takes focus from anything in it: give it back to whatever had it (the
      // number itself, or the next field after Tab).
      const focused = document.activeElement;
      if (target <= others.length) others[target - 1].before(row);
      else others[others.length - 1].after(row);
      if (focused && focused !== document.body && focused !== document.activeElement) {
        focused.focus();
      }
    }
    const count = renumber(container);
    input.dataset.placed = input.value;
    announce(`${titleOf(row)} is now at position ${target} of ${count}.`);
  }

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input.matches("[data-support-position]") && input.dataset.placed !== input.value) {
      // After Tab, once the focus has reached the next field, so it stays there.
      window.setTimeout(() => moveTo(input), 0);
    }
  });

  document.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.matches("[data-support-position]")) return;
    if (event.key === "Enter") {
      // Enter moves the item rather than saving the whole form.
      event.preventDefault();
      moveTo(input);
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      // As a number field: up is one more (one place further down the pack).
      event.preventDefault();
      const current = parseInt(input.value, 10) || 1;
      input.value = String(current + (event.key === "ArrowUp" ? 1 : -1));
      moveTo(input);
    }
  });

  // Wagtail's own Move up / Move down buttons: say where the item went.
  document.addEventListener("click", (event) => {
    const button = event.target.closest(
      "[data-inline-panel-child-move-up], [data-inline-panel-child-move-down]",
    );
    const row = button && button.closest(ROW);
    if (!row || !row.querySelector("[data-support-position]")) return;
    window.setTimeout(() => {
      const rows = rowsOf(row.parentElement);
      announce(
        `${titleOf(row)} is now at position ${rows.indexOf(row) + 1} of ${rows.length}.`,
      );
    }, 0);
  });
})();
