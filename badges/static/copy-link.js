// Progressive enhancement for share links: without JavaScript the link sits in a read-only input to
// copy by hand; with it, a "Copy link" button beside the input puts it on the clipboard. Loaded as a
// file, never inline, because the Content-Security-Policy allows scripts from 'self' only.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return; // no clipboard API here (plain http on another host, old browser): the input is enough
  }
  document.querySelectorAll("[data-copy-link]").forEach(function (box) {
    var input = box.querySelector("input");
    if (!input) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary copy-link-button";
    button.textContent = "Copy link";
    var status = document.createElement("span");
    status.className = "copy-link-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(
        function () {
          status.textContent = "Link copied.";
        },
        function () {
          input.select();
          status.textContent = "Could not copy: select the link and copy it yourself.";
        }
      );
    });
    input.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);
  });
})();
