// Upload with a progress bar. Builds every message with textContent, never innerHTML, so nothing
// from a file name or a document's title can become markup.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var input = document.getElementById("file-input");
  var zone = document.getElementById("dropzone");
  var nameOut = document.getElementById("file-name");
  var progressBox = document.getElementById("upload-progress");
  var bar = document.getElementById("progress-bar");
  var label = document.getElementById("progress-label");
  var result = document.getElementById("upload-result");
  var button = document.getElementById("upload-button");
  var limit = parseInt(form.getAttribute("data-limit"), 10);
  var limitText = form.getAttribute("data-limit-text");

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function showError(message) {
    result.replaceChildren();
    var box = el("div", null, "notice error");
    box.appendChild(el("p", "The file was not added.")).setAttribute("style", "font-weight:600");
    box.appendChild(el("p", message));
    result.appendChild(box);
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function showDone(doc, created) {
    result.replaceChildren();
    var box = el("div", null, "notice ok");
    box.appendChild(el("p", created ? "The document was added." : "This file was uploaded before; nothing changed."));
    var p = el("p");
    var link = el("a", doc.title || "Untitled document");
    link.href = "/documents/" + encodeURIComponent(doc.id);
    link.id = "extraction-link";
    p.appendChild(document.createTextNode("See what was extracted: "));
    p.appendChild(link);
    box.appendChild(p);
    var counts = doc.counts || {};
    var facts = [
      doc.force_name ? "force: " + doc.force_name : "force not identified",
      doc.cycle ? "cycle: " + doc.cycle : "cycle not identified",
      plural(counts.judgments || 0, "judgment"),
      plural(counts.findings || 0, "finding"),
      plural(counts.responses || 0, "response")
    ];
    box.appendChild(el("p", facts.join(" · ")));
    result.appendChild(box);
    link.focus();
  }

  function describe(file) {
    nameOut.textContent = file ? file.name + " (" + Math.ceil(file.size / 1024) + " KB)" : "";
  }

  input.addEventListener("change", function () { describe(input.files[0]); });
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("dragging"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      describe(input.files[0]);
    }
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var file = input.files[0];
    if (!file) { showError("Choose a file first."); return; }
    if (file.size > limit) {
      showError("The file is " + Math.ceil(file.size / 1048576) + " MB; the upload limit is " + limitText + ".");
      return;
    }
    var data = new FormData();
    data.append("file", file);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("data-api"));
    xhr.setRequestHeader("Accept", "application/json");
    var csrf = form.querySelector("input[name=csrf_token]");
    if (csrf) { xhr.setRequestHeader("X-CSRF-Token", csrf.value); }
    progressBox.hidden = false;
    bar.value = 0;
    label.textContent = "Uploading…";
    button.disabled = true;
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) { bar.value = Math.round((ev.loaded / ev.total) * 100); }
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      label.textContent = "Reading and extracting…";
    });
    xhr.addEventListener("load", function () {
      button.disabled = false;
      progressBox.hidden = true;
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        showDone(body, xhr.status === 201);
      } else {
        showError(body && body.message ? body.message : "The server answered " + xhr.status + ".");
      }
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      progressBox.hidden = true;
      showError("The upload did not reach the server. Check the connection and try again.");
    });
    xhr.send(data);
  });
})();
