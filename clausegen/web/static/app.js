// clausegen serve: live preview of one article while its values change, and a clause filter.
// The page works without this file: every button submits the whole form to the server.
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  if (!form) { return; }
  var timers = {};

  function preview(article) {
    var data = new FormData(form);
    data.delete("spec");
    data.set("preview", article.dataset.clause);
    fetch("/preview", { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        var fields = answer.fields || {};
        Object.keys(answer.errors || {}).forEach(function (name) {
          var input = form.querySelector('[name="' + CSS.escape(name) + '"]');
          if (input && input.id) { fields[input.id] = fields[input.id] || { error: answer.errors[name] }; }
        });
        Object.keys(fields).forEach(function (id) {
          var field = fields[id];
          var error = document.getElementById(id + "-e");
          var input = document.getElementById(id);
          if (error) { error.textContent = field.error || ""; error.hidden = !field.error; }
          if (input) {
            if (field.error) { input.setAttribute("aria-invalid", "true"); }
            else { input.removeAttribute("aria-invalid"); }
            input.closest(".param").classList.toggle("invalid", !!field.error);
          }
          var value = document.getElementById(id + "-v");
          if (value && field.effective !== undefined) { value.textContent = field.effective; }
          var source = document.getElementById(id + "-s");
          if (source && field.source !== undefined) { source.textContent = "(" + field.source + ")"; }
        });
        if (answer.ok) {
          var box = document.getElementById("preview-" + article.id);
          if (box) { box.innerHTML = answer.preview; }  // escaped by the server's HTML writer
          var found = document.getElementById("findings-" + article.id);
          if (found) { found.innerHTML = answer.findings; }
        }
      })
      .catch(function () { /* the Update button still works */ });
  }

  function later(article) {
    clearTimeout(timers[article.id]);
    timers[article.id] = setTimeout(function () { preview(article); }, 250);
  }

  form.addEventListener("input", function (event) {
    var article = event.target.closest("article.clause");
    if (article && event.target.closest(".clause-body")) { later(article); }
  });
  form.addEventListener("change", function (event) {
    var target = event.target;
    // A change of the whole draft (position, language, a clause ticked) re-renders the page.
    if (target.name === "position" || target.name === "language" || target.name === "audience") {
      form.requestSubmit(document.getElementById("update"));
      return;
    }
    if (target.name === "clause") {
      var article = target.closest("article.clause");
      article.classList.toggle("ticked", target.checked);
      var body = article.querySelector("details");
      if (body && target.checked) { body.open = true; }
      if (target.checked) { later(article); }
      return;
    }
    var owner = target.closest("article.clause");
    if (owner && target.closest(".clause-body")) { later(owner); }
  });

  var search = document.getElementById("clause-search");
  if (search) {
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll("article.clause").forEach(function (article) {
        var text = article.dataset.search || "";
        article.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  }
})();
