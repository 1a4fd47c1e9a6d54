// The monitor's offline form: drafts kept as typed, submissions queued in IndexedDB and sent,
// signed at that moment, when the connection returns. Registers the service worker.
(function () {
  "use strict";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" });
  }

  function S() { return window.sulhSign; }

  function fill(template, values) {
    return Object.keys(values).reduce(function (text, key) {
      return text.replace("{" + key + "}", String(values[key]));
    }, template);
  }

  function draftKey(form) { return "sulh-draft:" + form.getAttribute("data-draft"); }

  function saveDraft(form) {
    var values = {};
    form.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (el) {
      if (el.type !== "file" && el.type !== "hidden") { values[el.name] = el.value; }
    });
    localStorage.setItem(draftKey(form), JSON.stringify(values));
  }

  function restoreDraft(form) {
    if (form.querySelector(".has-error")) { return; } // the server's copy of what was typed wins
    var saved = localStorage.getItem(draftKey(form));
    if (!saved) { return; }
    var values = JSON.parse(saved);
    Object.keys(values).forEach(function (name) {
      var el = form.querySelector("[name='" + name + "']");
      if (el && el.type !== "file" && el.type !== "hidden") { el.value = values[name]; }
    });
  }

  function allQueued() {
    return S().idb("queue", "readonly", function (s) { return s.getAll(); });
  }

  function render(statuses) {
    var list = document.getElementById("queue");
    if (!list) { return; }
    allQueued().then(function (items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.setAttribute("data-queued", String(item.id));
        li.textContent = item.refused
          ? fill(list.getAttribute("data-refused"), { why: item.refused })
          : fill(list.getAttribute("data-waiting"), { what: (item.body.text || "").slice(0, 60) });
        list.appendChild(li);
      });
      (statuses || []).forEach(function (sent) {
        var li = document.createElement("li");
        li.setAttribute("data-sent", String(sent.report_id));
        li.textContent = fill(list.getAttribute("data-sent"), { id: sent.report_id, index: sent.log_index });
        list.appendChild(li);
      });
      if (!list.children.length) {
        var empty = document.createElement("li");
        empty.textContent = list.getAttribute("data-empty");
        list.appendChild(empty);
      }
    });
  }

  function showConnection() {
    var el = document.getElementById("connection");
    if (el) { el.textContent = el.getAttribute(navigator.onLine ? "data-online" : "data-offline"); }
  }

  var flushing = null;
  var sentLog = [];

  function sendOne(item, held) {
    return S().sign(held, item.body).then(function (signed) {
      var data = new FormData();
      data.append("csrf", item.csrf);
      data.append("signed_body", signed.body);
      data.append("signature", signed.signature);
      item.files.forEach(function (f) { data.append("files", f.blob, f.name); });
      return fetch(item.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json" }
      });
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (response.status === 201) {
          sentLog.push(answer);
          return S().idb("queue", "readwrite", function (s) { s.delete(item.id); });
        }
        var why = answer.problem || Object.values(answer.errors || {}).join(" ") || String(response.status);
        item.refused = why;
        return S().idb("queue", "readwrite", function (s) { s.put(item); });
      });
    });
  }

  function flush() {
    if (flushing || !navigator.onLine) { return flushing || Promise.resolve(); }
    flushing = allQueued().then(function (items) {
      var chain = Promise.resolve();
      items.filter(function (i) { return !i.refused; }).forEach(function (item) {
        chain = chain.then(function () { return S().storedKey(item.owner); }).then(function (held) {
          if (held) { return sendOne(item, held); }
        });
      });
      return chain;
    }).catch(function () { /* the connection dropped again: keep the rest for later */ })
      .then(function () { flushing = null; render(sentLog); });
    return flushing;
  }

  function queue(form) {
    var files = [];
    form.querySelectorAll("input[type=file][name]").forEach(function (input) {
      Array.from(input.files || []).forEach(function (f) { files.push({ name: f.name, blob: f }); });
    });
    var item = {
      action: form.getAttribute("action"),
      owner: form.getAttribute("data-owner"),
      csrf: form.querySelector("input[name=csrf]").value,
      body: S().build(form),
      files: files,
      queued_at: new Date().toISOString()
    };
    return S().keyFor(form).then(function () {
      return S().idb("queue", "readwrite", function (s) { s.add(item); });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-queue")) { return; }
    event.preventDefault();
    queue(form).then(function () {
      localStorage.removeItem(draftKey(form));
      form.reset();
      render(sentLog);
      return flush();
    });
  });

  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-draft")) { saveDraft(form); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-locate]");
    if (!button || !navigator.geolocation) { return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var form = button.form;
      form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(5);
      form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(5);
      form.querySelector("[name=place_precision]").value = "point";
      saveDraft(form);
    });
  });

  window.addEventListener("online", function () { showConnection(); flush(); });
  window.addEventListener("offline", showConnection);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-draft]").forEach(restoreDraft);
    showConnection();
    render(sentLog);
    flush();
  });

  window.sulhOffline = { flush: flush, queued: allQueued };
})();
