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

    // Progress of a commit (job or synchronous): poll its counters until it ends.
    // `submitted`: the page's own Commit request is running; poll until it navigates away, and show only a running
    // commit (the previous, finished one answers until this one has started).
    function watch(progress, render, submitted) {
      var url = progress.getAttribute("data-status-url");
      var bar = progress.querySelector("progress");
      var text = progress.querySelector("[data-progress-text]");
      var poll = function () {
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (job) {
            var running = job && (job.status === "QUEUED" || job.status === "RUNNING");
            if (!job || (submitted && !running)) { setTimeout(poll, 500); return; }
            bar.max = Math.max(job.total || 0, 1);
            bar.value = job.processed || 0;
            text.textContent = render(job);
            progress.setAttribute("data-job-status", job.status);
            if (job.status === "QUEUED" || job.status === "RUNNING") {
              setTimeout(poll, 500);
            } else if (progress.hasAttribute("data-reload-when-done")) {
              window.location.reload();
            }
          })
          .catch(function () { setTimeout(poll, 2000); });
      };
      poll();
    }
    function active(el) {
      var status = el.getAttribute("data-job-status");
      return status === "QUEUED" || status === "RUNNING";
    }

    var progress = document.getElementById("commit-job-progress");
    if (progress && active(progress)) {
      watch(progress, function (job) {
        return job.status + ": " + (job.processed || 0) + " of " + (job.total || 0) +
          " processed, " + (job.succeeded || 0) + " succeeded, " + (job.failed || 0) + " failed";
      });
    }
    var staffProgress = function (job) {
      return (job.processed || 0) + " of " + (job.total || 0) + " staff processed, " + (job.succeeded || 0) +
        " succeeded, " + (job.failed || 0) + " failed";
    };
    var busy = document.getElementById("commit-busy");
    if (busy && active(busy)) { watch(busy, staffProgress); }

    // Long form posts (sync steps): one submit only. The buttons are disabled and say what is running; the
    // synchronous Commit also shows its progress while its request runs (the server refuses a second one anyway).
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.hasAttribute("data-submitted")) { event.preventDefault(); return; }
        form.setAttribute("data-submitted", "");
        var button = event.submitter || form.querySelector("button[type=submit]");
        setTimeout(function () {  // after the submission has taken the form's data
          document.querySelectorAll("form[data-busy] button[type=submit]").forEach(function (b) {
            b.disabled = true;
          });
        }, 0);
        if (button) {
          button.setAttribute("aria-busy", "true");
          button.textContent = form.getAttribute("data-busy");
          var spinner = document.createElement("span");
          spinner.className = "spinner";
          spinner.setAttribute("aria-hidden", "true");
          button.insertBefore(spinner, button.firstChild);
        }
        var target = form.getAttribute("data-busy-target");
        var panel = target ? document.getElementById(target) : null;
        if (panel) {
          panel.hidden = false;
          watch(panel, staffProgress, true);
        }
      });
    });
  });
})();
