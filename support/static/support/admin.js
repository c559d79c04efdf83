// Enhancement only: after the first click on "Send the pack" the button is disabled, so an
// impatient second click does nothing. The server refuses a repeat send without this too.
document.addEventListener("submit", (event) => {
  const button = event.target.querySelector("[data-support-send]");
  if (button) {
    button.disabled = true;
    button.textContent = "Sending…";
  }
});
