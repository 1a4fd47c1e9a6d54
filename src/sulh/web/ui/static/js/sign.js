// Signing submissions in the browser: the filer's Ed25519 key never leaves it.
//
// A form marked data-sign="<kind>" is built into the submission the server will validate
// (inputs name their place with data-part and data-kind, see web/ui/reportform.py), given a
// nonce and a signing time, serialised as RFC 8785 canonical JSON, and signed with the key
// the filer chose. The key is imported as a non-extractable CryptoKey and kept in IndexedDB,
// so a monitor in the field chooses the key file once.
(function () {
  "use strict";

  var DB = "sulh", STORE = "keys";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 2);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(STORE)) { db.createObjectStore(STORE); }
        if (!db.objectStoreNames.contains("queue")) { db.createObjectStore("queue", { keyPath: "id", autoIncrement: true }); }
        if (!db.objectStoreNames.contains("drafts")) { db.createObjectStore("drafts"); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function idb(storeName, mode, act) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result = act(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  // RFC 8785: object keys sorted by UTF-16 code units, ECMAScript number and string forms.
  function canonical(value) {
    if (value === null || typeof value !== "object") { return JSON.stringify(value); }
    if (Array.isArray(value)) { return "[" + value.map(canonical).join(",") + "]"; }
    var keys = Object.keys(value).filter(function (k) { return value[k] !== undefined; }).sort();
    return "{" + keys.map(function (k) { return JSON.stringify(k) + ":" + canonical(value[k]); }).join(",") + "}";
  }

  function base64(bytes) {
    var text = "";
    new Uint8Array(bytes).forEach(function (b) { text += String.fromCharCode(b); });
    return btoa(text);
  }

  // A Sulh key file: PRIVATE+KEY+name+keyid+base64(type byte || 32-byte seed).
  function importKeyFile(text) {
    // Base64 may itself hold "+": the key is everything after the fourth one.
    var parts = text.trim().split("+");
    if (parts.length < 5 || parts[0] !== "PRIVATE" || parts[1] !== "KEY") {
      return Promise.reject(new Error("not a Sulh key file"));
    }
    var raw = Uint8Array.from(atob(parts.slice(4).join("+")), function (c) { return c.charCodeAt(0); });
    if (raw.length !== 33) { return Promise.reject(new Error("not an Ed25519 key")); }
    var prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
    var pkcs8 = new Uint8Array(48);
    pkcs8.set(prefix, 0);
    pkcs8.set(raw.slice(1), 16);
    return crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"])
      .then(function (key) { return { key: key, name: parts[2] }; });
  }

  function storedKey(owner) {
    return idb(STORE, "readonly", function (s) { return s.get(owner); });
  }

  function keepKey(owner, held) {
    return idb(STORE, "readwrite", function (s) { s.put(held, owner); });
  }

  function randomNonce() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function partValue(input) {
    var raw = input.value.replace(/\r\n/g, "\n").trim();
    if (raw === "") { return undefined; }
    var kind = input.getAttribute("data-kind") || "string";
    if (kind === "datetime") {
      var moment = new Date(raw);
      return isNaN(moment.getTime()) ? raw : moment.toISOString().replace(".000Z", "+00:00");
    }
    if (kind === "number" || kind === "integer") {
      var number = Number(raw);
      return isNaN(number) ? raw : number;
    }
    return raw;
  }

  // The submission the form describes, as web/ui/reportform.py `submission` builds it.
  function build(form) {
    var body = form.hasAttribute("data-report") ? { kind: form.getAttribute("data-sign") } : {};
    var casualties = [];
    form.querySelectorAll("[data-part]").forEach(function (input) {
      var value = partValue(input);
      if (value === undefined) { return; }
      var path = input.getAttribute("data-part").split(".");
      if (path[0] === "casualties") {
        casualties.push({ group: path[1], outcome: path[2], best: value });
      } else if (path.length === 2) {
        body[path[0]] = body[path[0]] || {};
        body[path[0]][path[1]] = value;
      } else {
        body[path[0]] = value;
      }
    });
    if (casualties.length) { body.casualties = casualties; }
    if (body.place && Object.keys(body.place).every(function (k) { return k === "precision"; })) {
      delete body.place; // a precision alone places nothing
    }
    return body;
  }

  function sign(held, body) {
    var stamped = Object.assign({}, body, {
      nonce: randomNonce(),
      signed_at: new Date().toISOString().replace(/\.\d{3}Z$/, "+00:00")
    });
    var text = canonical(stamped);
    return crypto.subtle.sign({ name: "Ed25519" }, held.key, new TextEncoder().encode(text))
      .then(function (signature) { return { body: text, signature: base64(signature) }; });
  }

  // The key for this form: a newly chosen key file (kept for next time), or the kept one.
  function keyFor(form) {
    var owner = form.getAttribute("data-owner");
    var chooser = form.querySelector("input[data-key-file]");
    var file = chooser && chooser.files && chooser.files[0];
    if (!file) { return storedKey(owner); }
    return file.text().then(importKeyFile).then(function (held) {
      return keepKey(owner, held).then(function () { return held; });
    });
  }

  function showKeyState(form) {
    var status = form.querySelector("[data-key-status]");
    if (!status) { return; }
    storedKey(form.getAttribute("data-owner")).then(function (held) {
      status.textContent = held ? status.getAttribute("data-kept").replace("{name}", held.name) : status.getAttribute("data-none");
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-sign") || form.hasAttribute("data-queue")) { return; }
    if (form.getAttribute("data-signed") === "yes") { return; }
    event.preventDefault();
    keyFor(form).then(function (held) {
      if (!held) { throw new Error("no key"); }
      return sign(held, build(form));
    }).then(function (signed) {
      form.querySelector("input[name=signed_body]").value = signed.body;
      form.querySelector("input[name=signature]").value = signed.signature;
      form.setAttribute("data-signed", "yes");
      form.submit();
    }).catch(function (error) {
      // Without a signature the server refuses the filing and says why, keeping what was typed.
      form.setAttribute("data-signed", "yes");
      form.querySelector("input[name=signature]").value = "";
      form.submit();
    });
  }

  document.addEventListener("submit", onSubmit);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-sign]").forEach(showKeyState);
  });

  window.sulhSign = { canonical: canonical, build: build, sign: sign, keyFor: keyFor, idb: idb, storedKey: storedKey };
})();
