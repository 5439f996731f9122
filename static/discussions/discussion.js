// The discussion panel: posting, replying, reporting and deleting without a reload, and the hook
// the live socket client calls for every event. Without JavaScript every control is a normal
// form or link and the page works the same, with a reload.
//
// window.SOVAZDiscussion.applyEvent(event) -> boolean
//   `event` is {seq, kind, data} as stored by live.services.event_publish. Kinds handled:
//     comment.created, comment.edited, comment.deleted, comment.hidden, comment.unhidden,
//     disposition.set
//   `data` = {comment_id, parent_id, author_id, depth, revision,
//             anchor: {kind, wid, key}, disposition: {outcome, changed_in_version} | null,
//             html: {uz|ru|en: "<li id=comment-N ...>"},
//             counts: {comments, unanswered}}
//   Idempotent: an event whose data.revision is not newer than the comment's data-revision on
//   the page is ignored (returns false). It inserts or replaces only the comment's
//   `.comment-main` and the counts; it never touches a textarea, the compose box or an open
//   reply box, so what the reader is typing survives every event.
// window.SOVAZDiscussion.lastSeq() -> the seq rendered with the page (#comments[data-last-seq]).
(function () {
  "use strict";

  var root = document.getElementById("comments");
  var MAX_DEPTH = 3;

  function message(attr, fallback) { return (root && root.getAttribute(attr)) || fallback; }

  function userId() { return root ? root.getAttribute("data-user-id") || "" : ""; }

  function pickHtml(html) {
    if (!html) { return ""; }
    if (typeof html === "string") { return html; }
    var lang = (document.documentElement.lang || "uz").slice(0, 2);
    return html[lang] || html.uz || html.ru || html.en || "";
  }

  function parseFragment(markup) {
    var template = document.createElement("template");
    template.innerHTML = markup.trim();
    var node = template.content.firstElementChild;
    return node && node.classList.contains("comment") ? node : null;
  }

  function addControls(li) {
    var source = document.getElementById("comment-controls-template");
    var slot = li.querySelector(":scope > .comment-controls");
    if (!source || !slot) { return; }
    var id = li.getAttribute("data-comment-id");
    var mine = userId() !== "" && li.getAttribute("data-author-id") === userId();
    var depth = Number(li.getAttribute("data-depth") || "1");
    var rules = {
      reply: depth < MAX_DEPTH && li.getAttribute("data-public") !== "0",
      edit: mine,
      "delete": mine,
      report: !mine,
      moderate: true,
      dispose: depth === 1
    };
    var controls = source.content.cloneNode(true);
    controls.querySelectorAll("[data-action]").forEach(function (el) {
      if (!rules[el.getAttribute("data-action")]) { el.remove(); return; }
      ["href", "action"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace("/comments/0/", "/comments/" + id + "/")); }
      });
    });
    slot.appendChild(controls);
  }

  function updateCounts(counts) {
    if (!counts) { return; }
    Object.keys(counts).forEach(function (name) {
      document.querySelectorAll('[data-count="' + name + '"]').forEach(function (el) {
        el.textContent = String(counts[name]);
      });
    });
  }

  // Insert a new comment or refresh an existing one from its server-rendered fragment.
  function upsert(markup, parentId) {
    var fresh = parseFragment(markup);
    if (!fresh || !root) { return false; }
    var existing = document.getElementById(fresh.id);
    var revision = Number(fresh.getAttribute("data-revision") || "0");
    if (existing) {
      if (Number(existing.getAttribute("data-revision") || "0") >= revision) { return false; }
      var oldMain = existing.querySelector(":scope > .comment-main");
      var newMain = fresh.querySelector(":scope > .comment-main");
      if (oldMain && newMain) { existing.replaceChild(newMain, oldMain); }
      ["class", "data-revision", "data-public"].forEach(function (attr) {
        existing.setAttribute(attr, fresh.getAttribute(attr) || "");
      });
      if (fresh.getAttribute("data-public") === "0") {
        existing.querySelectorAll(
          ":scope > .comment-controls > [data-action=reply], :scope > .comment-controls > [data-action=edit], :scope > .comment-controls > [data-action=delete], :scope > .comment-controls > [data-action=report]"
        ).forEach(function (el) { el.remove(); });
      }
      return true;
    }
    var container = parentId ? document.querySelector("#comment-" + parentId + " > .replies") : null;
    addControls(fresh);
    fresh.classList.add("is-new");
    (container || root).appendChild(fresh);
    var empty = document.querySelector(".discussion .no-comments");
    if (empty) { empty.remove(); }
    return true;
  }

  function applyEvent(event) {
    var data = event && event.data;
    if (!data || !data.comment_id || !data.html) { return false; }
    var applied = upsert(pickHtml(data.html), data.parent_id);
    updateCounts(data.counts);
    return applied;
  }

  function showErrors(form, errors) {
    var box = form.querySelector(".compose-errors");
    if (!box) {
      box = document.createElement("p");
      box.className = "compose-errors errorlist";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = errors.join(" ");
    box.hidden = errors.length === 0;
  }

  function post(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      // The server answers refusals and errors with {ok: false, errors: [...]} in the reader's
      // language; anything else (a proxy's page) gets the page's own words, never the bare
      // HTTP status line.
      return response.json().catch(function () { return { ok: false }; }).then(function (result) {
        if (!result || typeof result !== "object") { result = { ok: false }; }
        if (!result.ok && !(result.errors && result.errors.length)) {
          result.errors = [message("data-error-message", "Something went wrong; please try again.")];
        }
        return result;
      });
    });
  }

  function submitComment(form, parentId) {
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    post(form).then(function (result) {
      if (!result.ok) { showErrors(form, result.errors || []); return; }
      showErrors(form, []);
      upsert(pickHtml(result.html), parentId);
      updateCounts(result.counts);
      var textarea = form.querySelector("textarea");
      if (textarea) { textarea.value = ""; }  // the writer's own box, after their own post
      if (parentId) { form.remove(); }
      var li = document.getElementById("comment-" + result.comment_id);
      if (li) { li.scrollIntoView({ block: "nearest" }); }
    }).catch(function () {
      showErrors(form, [message("data-offline", "Network error; please try again.")]);
    }).then(function () { if (button) { button.disabled = false; } });
  }

  function openReplyBox(link) {
    var li = link.closest(".comment");
    var slot = li.querySelector(":scope > .comment-controls");
    if (slot.querySelector(".reply-box")) { slot.querySelector(".reply-box textarea").focus(); return; }
    var compose = document.getElementById("comment-compose");
    var token = document.querySelector(".discussion input[name=csrfmiddlewaretoken]");
    var form = document.createElement("form");
    form.className = "reply-box";
    form.method = "post";
    form.action = link.getAttribute("href");
    form.setAttribute("data-reply-to", li.getAttribute("data-comment-id"));
    if (token) { form.appendChild(token.cloneNode()); }
    var textarea = document.createElement("textarea");
    textarea.name = "body";
    textarea.rows = 3;
    textarea.maxLength = 5000;
    textarea.required = true;
    textarea.setAttribute("aria-label", link.textContent);
    form.appendChild(textarea);
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "button small primary";
    var label = compose ? compose.querySelector("button[type=submit]") : null;
    button.textContent = label ? label.textContent : link.textContent;
    form.appendChild(button);
    slot.appendChild(form);
    textarea.focus();
  }

  if (root) {
    var panel = root.closest(".discussion") || document;
    panel.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.matches("[data-compose]")) {
        event.preventDefault();
        submitComment(form, null);
      } else if (form.matches(".reply-box")) {
        event.preventDefault();
        submitComment(form, form.getAttribute("data-reply-to"));
      } else if (form.matches("[data-action=report], [data-action=delete]")) {
        event.preventDefault();
        var button = form.querySelector("button");
        var question = button && button.getAttribute("data-confirm");
        if (form.matches("[data-action=delete]") && question && !button.hasAttribute("data-confirmed")) {
          if (!window.confirm(question)) { return; }
        }
        post(form).then(function (result) {
          if (result.html) { upsert(pickHtml(result.html), null); }
          updateCounts(result.counts);
          var note = document.createElement("span");
          note.className = "meta";
          // A report changes nothing on the page, so say in words that it was received.
          var done = form.matches("[data-action=report]") && root.getAttribute("data-reported-message");
          note.textContent = result.ok ? (done || "✓") : (result.errors || []).join(" ");
          form.replaceWith(note);
        });
      }
    });
    panel.addEventListener("click", function (event) {
      var link = event.target.closest("[data-action=reply]");
      if (link && root.contains(link)) {
        event.preventDefault();
        openReplyBox(link);
      }
    });
    // sovaz.js already asks before deleting on server-rendered buttons; don't ask twice.
    root.querySelectorAll("[data-action=delete] button[data-confirm]").forEach(function (b) {
      b.setAttribute("data-confirmed", "");
    });
  }

  window.SOVAZDiscussion = {
    applyEvent: applyEvent,
    lastSeq: function () { return root ? Number(root.getAttribute("data-last-seq") || "0") : 0; }
  };
})();
