// Marks the page as having JavaScript before it paints, as the NHS.UK frontend expects.
// A static file rather than an inline script, so the Content-Security-Policy needs no exception.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
