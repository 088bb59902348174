// wgrec serve: small conveniences on top of pages that work without JavaScript.
// Loaded from the page's own origin (the Content-Security-Policy allows no inline script).
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  // Fill the time-zone field with the browser's zone.
  document.querySelectorAll("[data-my-zone]").forEach(function (b) {
    b.addEventListener("click", function () {
      var field = b.parentElement.querySelector("input[name=tz]");
      try {
        field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
      } catch (e) { /* no Intl: the field stays as it is */ }
      field.focus();
    });
  });
  // One more interest field, up to the server's limit of ten.
  document.querySelectorAll("[data-add-interest]").forEach(function (b) {
    b.addEventListener("click", function () {
      var list = b.parentElement.querySelector("[data-interest-list]");
      var inputs = list.querySelectorAll("input");
      if (inputs.length >= 10) { b.disabled = true; return; }
      var last = inputs[inputs.length - 1];
      var n = inputs.length + 1;
      var input = last.cloneNode(false);
      input.value = "";
      input.id = last.id.replace(/\d+$/, String(n));
      input.placeholder = "another interest";
      var label = document.createElement("label");
      label.className = "visually-hidden";
      label.htmlFor = input.id;
      label.textContent = "Interest " + n;
      list.appendChild(label);
      list.appendChild(input);
      input.focus();
      if (n >= 10) { b.disabled = true; }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
});
