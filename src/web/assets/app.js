// chotatsu serve: a little script on top of pages that work without it.
// 1. The new-procurement form asks the server for the tier and the problems as it changes,
//    and shows each problem under its field.
// 2. Upload forms show their results in the page instead of loading a new one, so the
//    chosen files stay chosen for the download buttons.
// All text comes from the server; this file holds none.
"use strict";

(function () {
  // The controls the user has changed, by the id their error message refers to.
  var touched = {};

  function liveCheck(form) {
    var url = form.getAttribute("data-check");
    var timer = null;
    var sequence = 0;
    function check() {
      var mine = ++sequence;
      var body = new URLSearchParams(new FormData(form));
      fetch(url, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (reply) {
          if (mine !== sequence) { return; }
          document.getElementById("tier-live").innerHTML = reply.tier_html;
          form.setAttribute("data-tier", reply.tier === null ? "" : String(reply.tier));
          showErrors(form, reply.errors);
        })
        .catch(function () { /* the buttons still work */ });
    }
    function schedule(event) {
      var control = event.target.closest(".control, td");
      var error = control && control.querySelector("p.error");
      if (error) { touched[error.id.replace(/^err-/, "")] = true; }
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  function showErrors(form, errors) {
    var byId = {};
    errors.forEach(function (e) {
      if (e.id === null) { return; } // listed above the form when the form is sent
      byId[e.id] = byId[e.id] ? byId[e.id] + " " + e.message : e.message;
    });
    form.querySelectorAll("p.error").forEach(function (p) {
      var id = p.id.replace(/^err-/, "");
      // Only fields the user has changed: a half-filled form is not a list of mistakes.
      if (!touched[id]) { return; }
      var message = byId[id] || "";
      if (p.textContent !== message) { p.textContent = message; }
      var control = document.getElementById(id);
      if (!control) { return; }
      var targets = control.tagName === "FIELDSET" ? control.querySelectorAll("input") : [control];
      targets.forEach(function (t) {
        if (message) { t.setAttribute("aria-invalid", "true"); } else { t.removeAttribute("aria-invalid"); }
      });
    });
  }

  function inPageResults(form) {
    var results = form.getAttribute("data-results");
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.getAttribute("data-fragment") !== "true") { return; }
      event.preventDefault();
      var data = new FormData(form);
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var target = document.getElementById(results);
          target.outerHTML = html;
          var fresh = document.getElementById(results);
          if (fresh) { fresh.focus(); }
        })
        .catch(function () { form.submit(); })
        .finally(function () { button.disabled = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var profile = document.getElementById("profile-form");
    if (profile) { liveCheck(profile); }
    document.querySelectorAll("form[data-results]").forEach(inPageResults);
  });
})();
