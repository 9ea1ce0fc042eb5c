// Aktivitetsplan: drag and drop, upload progress, the PDF's state in place. The page works without this file.
"use strict";
(function () {
  var form = document.getElementById("uppladdning");
  var input = document.getElementById("arbetsbok");
  var zone = document.getElementById("slappyta");
  var state = document.getElementById("lage");
  var bar = document.getElementById("framsteg");
  var button = document.getElementById("skicka-fil");

  function say(text) { if (state) { state.textContent = text; } }

  // Back (or Forward) may bring the page back with the files chosen before: start empty, as a new page does.
  // A page loaded anew is left alone: a file chosen while it was still loading stays chosen.
  window.addEventListener("pageshow", function (event) {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    var returned = event.persisted || (entries.length > 0 && entries[0].type === "back_forward");
    if (!returned) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (each) { each.reset(); });
    say("");
    if (bar) { bar.hidden = true; }
    if (button) { button.disabled = false; }
  });

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
      button.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      say("Skickar filen …");
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
      });
      request.upload.addEventListener("load", function () { bar.value = 100; say("Kontrollerar arbetsboken …"); });
      request.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(request.responseText); } catch (ignored) { answer = null; }
        if (request.status === 200 && answer && answer.resultat) {
          // The server says where the result is; the page is loaded once, there.
          window.location.assign(answer.resultat + "#resultat-rubrik");
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
      request.setRequestHeader("Accept", "application/json");
      request.send(new FormData(form));
    });
  }

  // The PDF: its one status line (a polite live region) changes in place; when it is done, the parts
  // that come with it (the button, the page images, the draft's note) take their places. Nothing else
  // moves: no reload, the focus and the scroll stay where the reader has them.
  function swap(html) {
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    Array.prototype.slice.call(parsed.body.children).forEach(function (part) {
      var old = part.id ? document.getElementById(part.id) : null;
      if (old) { old.replaceWith(document.importNode(part, true)); }
    });
  }

  var pdf = document.getElementById("pdf-lage");
  var pending = pdf && ["väntar", "arbetar"].indexOf(pdf.getAttribute("data-pdf")) >= 0;
  if (pending && window.fetch && window.DOMParser) {
    var poll = function () {
      fetch(pdf.getAttribute("data-status"), { credentials: "same-origin", cache: "no-store" })
        .then(function (answer) { return answer.json(); })
        .then(function (status) {
          if (status.delar) { swap(status.delar); }
          if (pdf.textContent !== status.text) { pdf.textContent = status.text; }
          if (status.pdf !== "klar" && status.pdf !== "fel") { window.setTimeout(poll, 1500); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1000);
  }

  // Links that look like buttons act like buttons: Space too, not only Enter.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === " " && target && target.matches && target.matches("a.knapp")) {
      event.preventDefault();
      target.click();
    }
  });

  var heading = document.getElementById("resultat-rubrik");
  if (heading && window.location.hash === "#resultat-rubrik") {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    // Once: Back to this page later keeps the reader's place instead of jumping to the heading again.
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }
})();
