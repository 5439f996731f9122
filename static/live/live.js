// Live updates of a draft's discussion over a websocket.
//
// Connects to ws/drafts/<id>/ for the element #comments[data-draft-id], starting after
// data-last-seq (the last event the server rendered into the page). Every event carries the
// draft's sequence number; events are applied in order, exactly once (anything at or below the
// last applied number is ignored), through window.SOVAZDiscussion.applyEvent(event). After a
// drop it reconnects with exponential back-off and full jitter (capped at 30 s) and resumes from
// the last number it applied, so the server replays what was missed. It never touches form
// fields: what the reader is typing is theirs.
//
// window.SOVAZLive.lastSeq() and .state() are there for tests and for other scripts.
(function () {
  "use strict";

  var root = document.querySelector("#comments[data-draft-id]");
  if (!root || !window.WebSocket) { return; }

  var BASE_DELAY = 500;
  var MAX_DELAY = 30000;
  var PING_EVERY = 25000;
  var GONE = 4404;  // the draft is not (or no longer) visible to us: do not retry

  var draftId = root.getAttribute("data-draft-id");
  var lastSeq = Number(root.getAttribute("data-last-seq") || "0") || 0;
  var socket = null;
  var attempt = 0;
  var retryTimer = null;
  var pingTimer = null;
  var state = "connecting";
  var statusBox = document.getElementById("live-status");

  function setState(name) {
    state = name;
    if (!statusBox) { return; }
    statusBox.setAttribute("data-state", name);
    statusBox.textContent = statusBox.getAttribute("data-label-" + name) || name;
  }

  function url() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    // The server then sends each comment's fragment in the page's language only.
    var lang = (document.documentElement.lang || "").slice(0, 2);
    return scheme + window.location.host + "/ws/drafts/" + encodeURIComponent(draftId) +
      "/?last_seq=" + lastSeq + (lang ? "&lang=" + encodeURIComponent(lang) : "");
  }

  function apply(event) {
    if (!event || typeof event.seq !== "number" || event.seq <= lastSeq) { return true; }
    if (event.seq !== lastSeq + 1) {
      // A hole: ask the server for everything after what we have instead of skipping ahead.
      send({ type: "resume", last_seq: lastSeq });
      return false;
    }
    lastSeq = event.seq;
    try {
      if (window.SOVAZDiscussion && window.SOVAZDiscussion.applyEvent) {
        window.SOVAZDiscussion.applyEvent(event);
      }
    } catch (error) {
      if (window.console) { window.console.error("live: applying event", event.seq, error); }
    }
    return true;
  }

  function onMessage(message) {
    var frame;
    try { frame = JSON.parse(message.data); } catch (error) { return; }
    if (frame.type === "event") {
      apply(frame);
    } else if (frame.type === "batch") {
      for (var i = 0; i < frame.events.length; i += 1) {
        if (!apply(frame.events[i])) { break; }
      }
    } else if (frame.type === "ready") {
      attempt = 0;
      setState("live");
    }
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); }
  }

  function scheduleReconnect() {
    if (retryTimer !== null) { return; }
    // Full jitter: anywhere between 0 and the exponential ceiling, so that thousands of
    // viewers dropped together by a restart do not come back in the same instant.
    var ceiling = Math.min(MAX_DELAY, BASE_DELAY * Math.pow(2, attempt));
    attempt += 1;
    retryTimer = window.setTimeout(function () { retryTimer = null; connect(); },
                                   Math.random() * ceiling);
  }

  function connect() {
    if (socket || !navigator.onLine) { setState(navigator.onLine ? state : "offline"); return; }
    setState("connecting");
    var current = new WebSocket(url());
    socket = current;
    current.onmessage = function (message) { if (socket === current) { onMessage(message); } };
    current.onclose = function (close) {
      if (socket !== current) { return; }
      socket = null;
      window.clearInterval(pingTimer);
      if (close.code === GONE) { setState("closed"); return; }
      setState(navigator.onLine ? "reconnecting" : "offline");
      scheduleReconnect();
    };
    window.clearInterval(pingTimer);
    pingTimer = window.setInterval(function () { send({ type: "ping" }); }, PING_EVERY);
  }

  function drop() {
    if (!socket) { return; }
    var current = socket;
    socket = null;
    current.close();
  }

  window.addEventListener("offline", function () { drop(); setState("offline"); });
  window.addEventListener("online", function () {
    attempt = 0;
    window.clearTimeout(retryTimer);
    retryTimer = null;
    connect();
  });

  window.SOVAZLive = {
    lastSeq: function () { return lastSeq; },
    state: function () { return state; },
    // For tests and debugging: drop the connection as a network failure would.
    drop: function () { if (socket) { socket.close(); } }
  };

  connect();
})();
