// Aktivitetsplan: drag and drop, upload progress and the PDF status. The page works without this file.
"use strict";
(function () {
  var form = document.getElementById("uppladdning");
  var input = document.getElementById("arbetsbok");
  var zone = document.getElementById("slappyta");
  var state = document.getElementById("lage");
  var bar = document.getElementById("framsteg");

  function say(text) { if (state) { state.textContent = text; } }

  if (zone && input) {
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        say("Vald fil: " + input.files[0].name + ". Tryck på Kontrollera och skapa planen.");
      }
    });
  }

  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener("submit", function (event) {
      if (!input.files.length) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      var button = document.getElementById("skicka-fil");
      button.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      say("Skickar filen …");
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
      });
      request.upload.addEventListener("load", function () { bar.value = 100; say("Kontrollerar arbetsboken …"); });
      request.addEventListener("load", function () {
        if (request.status === 200 && request.responseURL) {
          window.location.assign(request.responseURL + "#resultat-rubrik");
        } else {
          button.disabled = false;
          say("Det gick inte att skicka filen (" + request.status + "). Ladda om sidan och försök igen.");
        }
      });
      request.addEventListener("error", function () {
        button.disabled = false;
        say("Kontakten med servern bröts. Försök igen.");
      });
      request.open("POST", form.action);
      request.send(new FormData(form));
    });
  }

  var pdf = document.getElementById("pdf-lage");
  if (pdf && window.fetch) {
    var poll = function () {
      fetch(pdf.getAttribute("data-status"), { credentials: "same-origin" })
        .then(function (answer) { return answer.json(); })
        .then(function (status) {
          if (status.pdf === "klar" || status.pdf === "fel") {
            window.location.reload();
          } else {
            say(status.text);
            window.setTimeout(poll, 1500);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  }

  var heading = document.getElementById("resultat-rubrik");
  if (heading && window.location.hash === "#resultat-rubrik") {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
})();
