// The receipt page's button, clicked twice (a double click, or a second click while the
// answer is slow to come): the second click posted the form again, the browser dropped the
// first post's answer for the second's, and the recipient whose receipt the first post had
// just recorded read "This acknowledgement link is not valid" (the link works once). The
// form is posted once: its button is disabled as it posts, and a second submission (the
// Enter key) is cancelled. Without this script the page works as before.
"use strict";
(function () {
  var form = document.getElementById("receipt-form");
  if (!form) {
    return;
  }
  var sent = false;
  var button = document.getElementById("receipt-confirm");
  form.addEventListener("submit", function (e) {
    if (sent) {
      e.preventDefault();
      return;
    }
    sent = true;
    if (button) {
      button.disabled = true;
    }
  });
  // The page shown again from the browser's back-forward cache (after a post that failed, a
  // network error): its button works again.
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) {
      sent = false;
      if (button) {
        button.disabled = false;
      }
    }
  });
})();
