// chotatsu serve: a little script on top of pages that work without it.
// 1. The new-procurement form asks the server for the tier and the problems as it changes,
//    and shows each problem under its field.
// 2. Upload forms show their results in the page instead of loading a new one, so the
//    chosen files stay chosen for the download buttons.
// All text comes from the server; this file holds none.
"use strict";

(function () {
  function controlId(field) {
    return "f-" + field.replace(/[.\[\]]/g, "-");
  }

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
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
  }

  function showErrors(form, errors) {
    var byId = {};
    errors.forEach(function (e) {
      var id = controlId(e.field);
      byId[id] = byId[id] ? byId[id] + " " + e.message : e.message;
    });
    form.querySelectorAll("p.error").forEach(function (p) {
      var id = p.id.replace(/^err-/, "");
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
