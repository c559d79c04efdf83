// Wagtail's modal dialogs (the page chooser and the other choosers) have role="dialog" and no
// accessible name (axe: aria-dialog-name, serious): a screen reader announces "dialog" and
// nothing more. Each is named after the heading its content brings ("Choose a page..."), again
// whenever the content is replaced (moving through the page tree, searching). A label, not
// aria-labelledby: the heading's id ("header-title") is also the edit page's own heading's.
(() => {
  function nameDialog(dialog) {
    const heading = dialog.querySelector(".modal-body h1, .modal-body h2");
    const name = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
    if (name && dialog.getAttribute("aria-label") !== name) {
      dialog.setAttribute("aria-label", name);
    }
  }

  new MutationObserver(() => {
    document.querySelectorAll('.modal[role="dialog"]').forEach(nameDialog);
  }).observe(document.body, { childList: true, subtree: true });
})();
