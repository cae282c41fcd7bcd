// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";

  // Print button on the summary page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Autocomplete for the main complaint: suggestions from /api/search, chosen one sent as `complaint`.
  document.querySelectorAll("[data-autocomplete]").forEach(function (box) {
    var input = box.querySelector("input[name=words]");
    var hidden = box.querySelector("input[name=complaint]");
    var list = box.querySelector(".suggestions");
    var url = box.getAttribute("data-autocomplete");
    var active = -1;
    var timer = null;

    function close() { list.hidden = true; list.innerHTML = ""; input.setAttribute("aria-expanded", "false"); active = -1; }

    function choose(item) {
      input.value = item.getAttribute("data-name");
      hidden.value = item.getAttribute("data-id");
      close();
    }

    function render(hits) {
      list.innerHTML = "";
      hits.forEach(function (hit, i) {
        var li = document.createElement("li");
        li.id = "suggestion-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-id", hit.id);
        li.setAttribute("data-name", hit.name);
        li.textContent = hit.name;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { close(); return; }
      timer = setTimeout(function () {
        fetch(url + "?complaints_only=true&limit=6&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(render)
          .catch(close);
      }, 150);
    });

    input.addEventListener("keydown", function (e) {
      var items = list.querySelectorAll("li");
      if (!items.length) { return; }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
        input.setAttribute("aria-activedescendant", items[active].id);
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        choose(items[active]);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  });
})();
