// Cairn's own small enhancements; every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Buttons that discard or overwrite work ask first.
  for (const el of document.querySelectorAll("[data-confirm]")) {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault();
    });
  }
  // A chosen file fills the import text box, so the text can be read before it is checked.
  const file = document.getElementById("import-file");
  const text = document.getElementById("import-text");
  if (file && text) {
    file.addEventListener("change", async () => {
      const f = file.files && file.files[0];
      if (f && f.size < 16 * 1024 * 1024) text.value = await f.text();
    });
  }
  // Keeps the current tree entry visible and marked as the reader scrolls.
  const links = document.querySelectorAll(".tree a[href^='#']");
  if ("IntersectionObserver" in window && links.length) {
    const byId = new Map([...links].map((a) => [decodeURIComponent(a.hash.slice(1)), a]));
    const seen = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const a = byId.get(e.target.id);
        if (a && e.isIntersecting) {
          for (const l of links) l.removeAttribute("aria-current");
          a.setAttribute("aria-current", "location");
        }
      }
    }, { rootMargin: "0px 0px -70% 0px" });
    for (const id of byId.keys()) {
      const el = document.getElementById(id);
      if (el) seen.observe(el);
    }
  }
});
