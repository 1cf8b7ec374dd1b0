/* 填报表: check a figure against the rules as it is typed (the server checks again on submit).
   No inline script: the CSP allows 'self' only. */
(function () {
  "use strict";
  function csrf(form) { var el = form.querySelector("input[name=csrfmiddlewaretoken]"); return el ? el.value : ""; }
  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = document.getElementById("entry-form");
    if (!form || !input.dataset || !input.dataset.field || input.form !== form) { return; }
    var row = input.closest("tr");
    var code = row.dataset.indicator;
    var body = new URLSearchParams();
    body.append("period", form.querySelector("input[name=period]").value);
    body.append("indicator", code);
    body.append("value", row.querySelector("input[data-field=value]").value);
    body.append("growth", row.querySelector("input[data-field=growth]").value);
    fetch(form.dataset.checkUrl, { method: "POST", body: body, credentials: "same-origin",
                                   headers: { "X-CSRFToken": csrf(form) } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var cell = row.querySelector("td[data-field=check]");
        cell.textContent = "";
        (data.messages || []).forEach(function (text) {
          var div = document.createElement("div");
          div.className = data.blocking ? "error" : "warning";
          div.textContent = text;
          cell.appendChild(div);
        });
        row.dataset.checked = "1";
      });
  });
}());
