/* Campus UI: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    document.documentElement.classList.add("js");

    // Selects that submit their form on change (user switch, Message Center user).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    // Copy buttons (support-case draft).
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (!target) { return; }
        var text = target.value !== undefined ? target.value : target.textContent;
        var done = function () {
          var label = button.firstChild.nodeValue;
          button.firstChild.nodeValue = "Copied";
          setTimeout(function () { button.firstChild.nodeValue = label; }, 1500);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(target); done(); });
        } else { fallbackCopy(target); done(); }
      });
    });

    function fallbackCopy(target) {
      var wasHidden = target.classList.contains("visually-hidden");
      target.classList.remove("visually-hidden");
      target.select();
      try { document.execCommand("copy"); } catch (e) { /* ignore */ }
      if (wasHidden) { target.classList.add("visually-hidden"); }
    }

    // Error Log: the Payload button opens a dialog instead of a page.
    var dialog = document.getElementById("payload-dialog");
    if (dialog && typeof dialog.showModal === "function") {
      document.querySelectorAll("[data-payload-url]").forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          fetch(link.getAttribute("data-payload-url"), { credentials: "same-origin" })
            .then(function (r) { return r.text(); })
            .then(function (text) {
              var shown = text;
              try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
              document.getElementById("payload-dialog-body").textContent = shown;
              dialog.showModal();
            });
        });
      });
    }

    // Filter a checkbox list by typed text (notification recipients, combine person pickers).
    document.querySelectorAll("[data-filter-list]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("data-filter-list"));
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        list.querySelectorAll("[data-filter-text]").forEach(function (item) {
          item.hidden = q !== "" && item.getAttribute("data-filter-text").indexOf(q) === -1;
        });
      });
    });

    // Print buttons (the Content-Security-Policy allows no inline handlers).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });

    // Confirm dangerous buttons.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });

    // Commit job progress: poll the job status until it ends.
    var progress = document.getElementById("commit-job-progress");
    if (progress) {
      var url = progress.getAttribute("data-status-url");
      var bar = progress.querySelector("progress");
      var text = progress.querySelector("[data-progress-text]");
      var poll = function () {
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (job) {
            if (!job) { return; }
            bar.max = Math.max(job.total || 0, 1);
            bar.value = job.processed || 0;
            text.textContent = job.status + ": " + (job.processed || 0) + " of " + (job.total || 0) +
              " processed, " + (job.succeeded || 0) + " succeeded, " + (job.failed || 0) + " failed";
            progress.setAttribute("data-job-status", job.status);
            if (job.status === "QUEUED" || job.status === "RUNNING") {
              setTimeout(poll, 500);
            } else if (progress.hasAttribute("data-reload-when-done")) {
              window.location.reload();
            }
          })
          .catch(function () { setTimeout(poll, 2000); });
      };
      if (progress.getAttribute("data-job-status") === "QUEUED" || progress.getAttribute("data-job-status") === "RUNNING") {
        poll();
      }
    }
  });
})();
