// pagsearch's page works without this script; it only adds keyboard
// shortcuts: "/" focuses the search box, "j" and "k" move between hits,
// Escape leaves the search box.
"use strict";
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const box = document.getElementById("q");
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
  if (typing) {
    if (event.key === "Escape" && event.target === box) box.blur();
    return;
  }
  if (event.key === "/" && box) {
    event.preventDefault();
    box.focus();
    box.select();
  } else if (event.key === "j" || event.key === "k") {
    const hits = Array.from(document.querySelectorAll(".hit-link"));
    if (hits.length === 0) return;
    const at = hits.indexOf(document.activeElement);
    const next = event.key === "j" ? Math.min(at + 1, hits.length - 1) : Math.max(at - 1, 0);
    event.preventDefault();
    hits[next].focus();
  }
});
