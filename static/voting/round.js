// Live "who has voted" list of a round's status page. The page works without it (reload).
(function () {
  "use strict";
  var list = document.querySelector("[data-round-socket]");
  if (!list || !window.WebSocket) { return; }
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var url = scheme + window.location.host + list.getAttribute("data-round-socket");
  var delay = 1000;

  function render(state) {
    state.agencies.forEach(function (agency) {
      var item = list.querySelector('[data-agency="' + CSS.escape(agency.code) + '"]');
      if (!item) { return; }
      var label = item.querySelector(".vote-state");
      item.className = agency.voted ? "voted" : "waiting";
      label.textContent = label.getAttribute(agency.voted ? "data-voted-label" : "data-waiting-label");
    });
    var count = document.querySelector("[data-voted-count]");
    if (count) { count.textContent = String(state.voted_count); }
    if (state.status === "closed") {
      var note = document.querySelector("[data-closed-note]");
      if (note) { note.hidden = false; }
    }
  }

  function connect() {
    var socket = new WebSocket(url);
    socket.addEventListener("open", function () { delay = 1000; });
    socket.addEventListener("message", function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "round.state") { render(message.state); }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 4403 || event.code === 4404) { return; }
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();
