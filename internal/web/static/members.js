// The members page as the answer to one of its forms (a new token shown once, a wrong
// password, a refused change): the history entry keeps the posted form, the admin's password
// among its fields, which a reload would post again (headless Chromium does so without
// asking): a second new token that ends the one just shown, or an approval answered "carried
// out already" in place of its token. Replacing the entry with the members page's own address
// (the post's is the form's action, /admin/members/NAME/token, which has no page) drops what
// was posted: a reload shows the members page as it is.
"use strict";
(function () {
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", "/admin/members");
  }
})();
