/* Behaviour shared by every page. No inline scripts (CSP script-src 'self'). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    // Selects marked data-autosubmit (the language switch) submit their form on change.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) select.form.submit();
      });
    });
  });
})();
