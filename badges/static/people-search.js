// people: suggestions while typing in a person search field (progressive enhancement; the search
// works without it). An <input data-people-search="URL"> gets a <datalist> of up to 20 matches from
// URL?q=... (badges.web.people.search); each suggestion's value is the email, which matches one person.
(function () {
  "use strict";
  document.querySelectorAll("input[data-people-search]").forEach(function (input, n) {
    var list = document.createElement("datalist");
    list.id = "people-suggestions-" + n;
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2 || q === asked) return;
        asked = q;
        var url = new URL(input.dataset.peopleSearch, window.location.href);
        url.searchParams.set("q", q);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (answer) { return answer.ok ? answer.json() : { people: [] }; })
          .then(function (found) {
            list.replaceChildren.apply(list, found.people.map(function (person) {
              var option = document.createElement("option");
              option.value = person.email;
              option.label = person.name;
              return option;
            }));
          })
          .catch(function () { /* suggestions are a convenience: the form still searches */ });
      }, 200);
    });
  });
})();
