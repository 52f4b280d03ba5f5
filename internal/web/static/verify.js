// The verify page: the file chosen or dropped is hashed here, in the browser, and only its
// SHA-256 goes to the server (as /verify?digest=sha256:HEX). The file itself is never sent.
"use strict";
(function () {
  var input = document.getElementById("verify-file");
  var drop = document.getElementById("drop");
  var status = document.getElementById("verify-status");
  if (!input || !drop) { return; }

  function hex(buf) {
    var b = new Uint8Array(buf), s = "";
    for (var i = 0; i < b.length; i++) { s += ("0" + b[i].toString(16)).slice(-2); }
    return s;
  }

  function digest(bytes) {
    if (window.crypto && window.crypto.subtle) {
      return window.crypto.subtle.digest("SHA-256", bytes).then(hex);
    }
    return Promise.resolve(window.chancerySHA256(new Uint8Array(bytes)));
  }

  function check(file) {
    if (!file) { return; }
    // The page gives the messages in its own language, with {file} for the file's name.
    status.textContent = (status.dataset.computing || "Computing the fingerprint of {file} on this device…").replace("{file}", function () { return file.name; });
    file.arrayBuffer().then(digest).then(function (h) {
      window.location.assign("/verify?digest=sha256:" + h);
    }).catch(function () {
      status.textContent = status.dataset.unreadable || "This file could not be read.";
    });
  }

  input.addEventListener("change", function () { check(input.files[0]); });
  drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer && e.dataTransfer.files.length) { check(e.dataTransfer.files[0]); }
  });
})();
