// Signing in the browser. The signer's Ed25519 key is made here by WebCrypto as a
// non-extractable CryptoKey and kept in this browser's IndexedDB: the private key never
// leaves the device, and not even this script can read its bytes. The public key is
// registered with the office (a logged key-added entry, as for `chancery key register`), and
// the Sign button signs the DSSE PAE of the exact statement the server put on the page, as
// `chancery sign` does.
"use strict";
(function () {
  var box = document.getElementById("browser-signing");
  if (!box) { return; }
  var status = document.getElementById("browser-key-status");
  var create = document.getElementById("browser-key-create");
  var form = document.getElementById("browser-sign-form");
  var member = box.getAttribute("data-member");
  var payloadType = box.getAttribute("data-payload-type");
  var statement = box.getAttribute("data-statement");
  // The member's signer keys the office holds in force: a key this browser made and the
  // office has since revoked (an admin's revocation, the signer role taken away) would only
  // have its signatures refused.
  var inForce = (box.getAttribute("data-keys") || "").split(" ").filter(Boolean);

  function b64(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); }
    return btoa(s);
  }

  function unb64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }

  // pae is DSSE's pre-authentication encoding: "DSSEv1 LEN(type) type LEN(body) body",
  // lengths in decimal bytes.
  function pae(type, body) {
    var enc = new TextEncoder();
    var t = enc.encode(type);
    var head = enc.encode("DSSEv1 " + t.length + " " + type + " " + body.length + " ");
    var out = new Uint8Array(head.length + body.length);
    out.set(head, 0);
    out.set(body, head.length);
    return out;
  }

  // The key store: one object store of {member, keyid, privateKey, publicKey}, by member, so
  // that two members sharing a browser profile do not sign with each other's keys.
  function db() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("chancery-keys", 1);
      req.onupgradeneeded = function () { req.result.createObjectStore("keys", { keyPath: "member" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction("keys", mode), req = fn(t.objectStore("keys"));
        t.oncomplete = function () { resolve(req.result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }

  function loadKey() { return tx("readonly", function (s) { return s.get(member); }); }
  function saveKey(k) { return tx("readwrite", function (s) { return s.put(k); }); }

  function ready(k) {
    status.textContent = say("ready", "This browser holds your signing key {key}…; it never leaves this device.", "{key}", k.keyid.slice(0, 16));
    form.elements.keyid.value = k.keyid;
    create.hidden = true;
    form.hidden = false;
  }

  function fail(msg) { status.textContent = msg; }

  // say is a message in the page's language, from the data attributes the server wrote
  // (English when they are missing), with {key} or {error} filled in.
  function say(name, english, hole, value) {
    var text = box.dataset[name] || english;
    return hole ? text.replace(hole, function () { return value; }) : text;
  }

  function newKey() {
    create.disabled = true;
    status.textContent = say("creating", "Creating a signing key on this device…");
    var pair;
    crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]).then(function (p) {
      pair = p;
      return crypto.subtle.exportKey("raw", p.publicKey);
    }).then(function (raw) {
      var body = new URLSearchParams();
      body.set("csrf", box.getAttribute("data-csrf"));
      body.set("public_key", b64(new Uint8Array(raw)));
      return fetch("/keys", { method: "POST", body: body, credentials: "same-origin" });
    }).then(function (resp) {
      return resp.json().then(function (j) {
        if (!resp.ok) { throw new Error(j.error || resp.statusText); }
        return j;
      });
    }).then(function (j) {
      var k = { member: member, keyid: j.keyid, privateKey: pair.privateKey, publicKey: pair.publicKey };
      return saveKey(k).then(function () { ready(k); });
    }).catch(function (e) {
      create.disabled = false;
      fail(say("createFailed", "The key could not be created: {error}", "{error}", e.message));
    });
  }

  function sign(e) {
    e.preventDefault();
    var button = document.getElementById("browser-sign");
    button.disabled = true;
    var st = unb64(statement);
    loadKey().then(function (k) {
      if (!k) { throw new Error(say("noKey", "this browser holds no key for you")); }
      return crypto.subtle.sign({ name: "Ed25519" }, k.privateKey, pae(payloadType, st));
    }).then(function (sig) {
      form.elements.statement.value = statement;
      form.elements.sig.value = b64(new Uint8Array(sig));
      form.submit();
    }).catch(function (err) {
      button.disabled = false;
      fail(say("notSigned", "Not signed: {error}", "{error}", err.message));
    });
  }

  if (!window.crypto || !crypto.subtle || !window.indexedDB) { return; }
  // Feature test: older browsers lack Ed25519 in WebCrypto; they keep the command line.
  crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign"]).then(function () {
    box.hidden = false;
    create.addEventListener("click", newKey);
    form.addEventListener("submit", sign);
    return loadKey().then(function (k) {
      if (k && inForce.indexOf(k.keyid) < 0) {
        // Kept, not deleted: creating a new key replaces it.
        status.textContent = say("revoked", "The signing key this browser holds, {key}…, is no longer in force: create a new one to sign here.", "{key}", k.keyid.slice(0, 16));
        create.hidden = false;
      } else if (k) {
        ready(k);
      } else {
        status.textContent = say("invite", "To sign here, create a signing key on this device; it is registered with the office and logged.");
        create.hidden = false;
      }
    });
  }).catch(function () { /* no Ed25519 here: the command line below still works */ });
})();
