// The verify page: the file chosen or dropped is hashed here, in the browser, and only its
// SHA-256 goes to the server, posted (digest=sha256:HEX) so that it stays out of the address
// bar and the browser's history: whoever holds a file's digest reads what the letter says.
// The file itself is never sent.
"use strict";
(function () {
  // An answer to a posted digest: the history entry keeps the posted form, which a reload
  // would post again and the browser's session files keep on disk (the digest reads the
  // letter). Replacing the entry with itself drops what was posted: a reload shows the empty
  // form.
  if (document.getElementById("verdict") && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.href);
  }
  var input = document.getElementById("verify-file");
  var drop = document.getElementById("drop");
  var status = document.getElementById("verify-status");
  if (!input || !drop) { return; }
  // A browser that cannot hash (no crypto.subtle, outside a secure context, and sha256.js not
  // loaded) would answer every file "could not be read": it keeps the note on computing the
  // fingerprint by hand, and is shown no drop zone.
  if (!(window.crypto && window.crypto.subtle) && !window.chancerySHA256) { return; }
  // The drop zone is shown only to a browser that runs this script: without it, choosing a
  // file would do nothing, and say nothing. The note that says how to compute the fingerprint
  // by hand is in the page, not in a noscript element, so that a browser whose script failed
  // to load or to run still shows it: it is hidden here, with the drop zone shown instead.
  drop.hidden = false;
  var byHand = document.getElementById("verify-by-hand");
  if (byHand) { byHand.hidden = true; }

  function hex(buf) {
    var b = new Uint8Array(buf), s = "";
    for (var i = 0; i < b.length; i++) { s += ("0" + b[i].toString(16)).slice(-2); }
    return s;
  }

  // digest hashes bytes, a Uint8Array (a view of the file, not a copy).
  function digest(bytes) {
    if (window.crypto && window.crypto.subtle) {
      return window.crypto.subtle.digest("SHA-256", bytes).then(hex);
    }
    return Promise.resolve(window.chancerySHA256(bytes));
  }

  // post sends the digests to the server as the page's form would, and the browser shows the
  // answer: the address stays /verify.
  function post(fields) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/verify";
    form.hidden = true;
    Object.keys(fields).forEach(function (name) {
      var f = document.createElement("input");
      f.type = "hidden";
      f.name = name;
      f.value = fields[name];
      form.appendChild(f);
    });
    document.body.appendChild(form);
    form.submit();
  }

  // earlier returns where the earlier revisions of a PDF end: the file up to end-of-file
  // markers before the last, without its end of line and with it, 16 at most. A draft copy
  // with an update appended still holds the copy's bytes up to its own marker, the file's
  // first, and the server knows their digest (pdf.RevisionEnds finds the earliest ends on the
  // server). A released file with an update appended ends at the marker just before the
  // update's, and streams it keeps from the upload (a font program) may hold "%%EOF" lines
  // before it, however many: the ends of the first six markers and of the last two are sent.
  function earlier(bytes) {
    var b = new Uint8Array(bytes), ends = [], seen = {};
    var pdf = [0x25, 0x50, 0x44, 0x46, 0x2d], eof = [0x25, 0x25, 0x45, 0x4f, 0x46];
    function at(i, m) {
      for (var j = 0; j < m.length; j++) { if (b[i + j] !== m[j]) { return false; } }
      return true;
    }
    if (!at(0, pdf)) { return []; }
    var marks = [];
    for (var i = 0; i + eof.length <= b.length; i++) { if (at(i, eof)) { marks.push(i); } }
    marks.pop();
    function add(end) { if (!seen[end]) { seen[end] = true; ends.push(end); } }
    for (var k = 0; k < marks.length; k++) {
      if (k >= 6 && k < marks.length - 2) { continue; }
      var after = marks[k] + eof.length;
      add(after);
      if (b[after] === 0x0d && b[after + 1] === 0x0a) { add(after + 2); } else if (b[after] === 0x0a || b[after] === 0x0d) { add(after + 1); }
    }
    return ends;
  }

  // isSeal reports whether bytes are a letter's seal file (a JSON object with the member
  // "chancery_seal", docs/seal-format.md), which holds no letter: its digest is no letter's.
  function isSeal(bytes) {
    var b = new Uint8Array(bytes), i = 0;
    while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) { i++; }
    if (b[i] !== 0x7b || b.length > (1 << 22) || !window.TextDecoder) { return false; }
    try {
      var v = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(b));
      return v !== null && typeof v === "object" && Object.prototype.hasOwnProperty.call(v, "chancery_seal");
    } catch (e) {
      return false;
    }
  }

  // say sets the status line to text, with the command it names drawn as the page's commands
  // are (a code element of class cmd, each word in a span the style sheet keeps on one line):
  // as plain text, "chancery verify --offline" broke at its hyphens. Nothing is added to the
  // text.
  function say(text) {
    var command = "chancery verify --offline", at = text.indexOf(command);
    status.textContent = at < 0 ? text : text.slice(0, at);
    if (at < 0) { return; }
    var code = document.createElement("code");
    code.className = "cmd";
    command.split(" ").forEach(function (w, i) {
      if (i > 0) { code.appendChild(document.createTextNode(" ")); }
      var span = document.createElement("span");
      span.textContent = w;
      code.appendChild(span);
    });
    status.appendChild(code);
    status.appendChild(document.createTextNode(text.slice(at + command.length)));
  }

  function check(file) {
    if (!file) { return; }
    // The page gives the messages in its own language, with {file} for the file's name.
    // The name is isolated (FSI … PDI): in an Arabic sentence, "2026.pdf" would be drawn
    // "pdf.2026", its figures moved to its other end by the right-to-left words around it.
    status.textContent = (status.dataset.computing || "Computing the fingerprint of {file} on this device…").replace("{file}", function () { return "\u2068" + file.name + "\u2069"; });
    file.arrayBuffer().then(function (buf) {
      if (isSeal(buf)) { return null; }
      // Each earlier revision is a view of the file's bytes, hashed where it lies.
      var bytes = new Uint8Array(buf), parts = [digest(bytes)];
      earlier(buf).forEach(function (end) { parts.push(digest(bytes.subarray(0, end))); });
      return Promise.all(parts);
    }).then(function (hs) {
      if (hs === null) {
        say(status.dataset.seal || "This is a seal file, not a letter: choose the letter's own file. A seal is checked offline, beside its letter, with chancery verify --offline.");
        again();
        return;
      }
      var fields = { digest: "sha256:" + hs[0] };
      if (hs.length > 1) { fields.earlier = hs.slice(1).map(function (h) { return "sha256:" + h; }).join(","); }
      post(fields);
    }).catch(function () {
      status.textContent = status.dataset.unreadable || "This file could not be read.";
      again();
    });
  }

  // again empties the input once the page has said why a file gets no answer (a seal, a file
  // that could not be read): the same file chosen again is then a change, checked and answered
  // again, where the browser would otherwise do nothing, and the status say nothing.
  function again() { input.value = ""; }

  input.addEventListener("change", function () { check(input.files[0]); });
  // Back from the answer, a page the browser kept shows the form as it was left: it is made
  // ready for another file (the same file chosen again would not count as a change).
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) { input.value = ""; status.textContent = ""; }
  });
  drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer && e.dataTransfer.files.length) { check(e.dataTransfer.files[0]); }
  });
})();
