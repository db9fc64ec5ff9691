/*! tagkit-events.js - sends tagkit's Connectif event islands; no inline script needed.
 *
 * Include it once per page, from your own origin (`tagkit static DEST` copies it there):
 *   <script src="/tagkit-events.js" defer></script>
 * Any position works: it sends the islands already in the page, those the parser adds later
 * and those inserted afterwards (a MutationObserver watches the document; single-page apps,
 * AJAX fragments, even HTML set with innerHTML). For islands it cannot see (inside a shadow
 * root, or a browser without MutationObserver) call window.tagkit.sendPending(root).
 *
 * An island is what tagkit renders with inline=False:
 *   <script type="application/json" data-tagkit-events="RENDER-ID">{"events":[...],"options":{...}}</script>
 * Each is sent exactly once with connectif.managed.sendEvents(events, options), using the
 * readiness logic of tagkit's inline event script (docs/connectif.md#wait-readiness):
 *   1. connectif.managed.isInitialized is a function (newer clients): send now if it returns
 *      true, else wait;
 *   2. else connectif.managed exists (client 1.3.0): send now inside try; 1.3.0 throws before
 *      its initialisation starts and sends nothing, so on a throw, wait;
 *   3. else (client not loaded yet) wait.
 * Wait = one listener for the document event "connectif.managed.initialized" that removes
 * itself and sends once.
 * Once: an island element is handled once, and its render id is recorded in
 * window.tagkit.sent (shared with the inline scripts), so a second copy of the same render is
 * a no-op while a new render of the same events sends again.
 * Fresh objects: the JSON text is parsed again for every call, because the client writes
 * trackerId / primaryKey into the entityInfo object it is given.
 * It never throws into the page; problems go to console.warn.
 */
(function (w, d) {
  "use strict";

  var SELECTOR = 'script[type="application/json"][data-tagkit-events]';
  var READY = "connectif.managed.initialized";

  var ns;
  try {
    ns = w.tagkit = w.tagkit || {};
    if (typeof ns.sendPending === "function") return; // this file is on the page twice
    ns.sent = ns.sent || {};
  } catch (error) {
    return; // window.tagkit is taken by something else: do nothing rather than throw
  }
  var sent = ns.sent;
  // Islands already handled; a WeakSet does not keep removed elements alive.
  var handled = typeof WeakSet === "function" ? new WeakSet() : null;

  function warn(message, error) {
    if (w.console && w.console.warn) w.console.warn("tagkit: " + message, error);
  }

  function isHandled(island) {
    return handled ? handled.has(island) : island.tagkitHandled === true;
  }

  function markHandled(island) {
    if (handled) handled.add(island);
    else island.tagkitHandled = true;
  }

  // Send one call once the client is ready; build() returns new objects each time.
  function schedule(build) {
    function send(managed) {
      var call = build();
      var result = managed.sendEvents(call.events, call.options);
      if (result && typeof result.then === "function") {
        result.then(null, function (error) {
          warn("Connectif sendEvents failed:", error);
        });
      }
    }
    function wait() {
      var done = false;
      function ready() {
        d.removeEventListener(READY, ready);
        if (done) return;
        done = true;
        try {
          send(w.connectif.managed);
        } catch (error) {
          warn("Connectif sendEvents failed:", error);
        }
      }
      d.addEventListener(READY, ready);
    }
    var managed = w.connectif && w.connectif.managed;
    if (!managed) {
      wait();
    } else if (typeof managed.isInitialized === "function") {
      if (managed.isInitialized()) send(managed);
      else wait();
    } else {
      try {
        send(managed);
      } catch (notYet) {
        wait();
      }
    }
  }

  function handle(island) {
    if (isHandled(island)) return;
    var id = island.getAttribute("data-tagkit-events") || "";
    if (id && sent[id]) {
      markHandled(island);
      return;
    }
    var text = island.textContent || "";
    // An island inserted empty and filled afterwards: wait for its content.
    if (!/\S/.test(text)) return;
    var call;
    try {
      call = JSON.parse(text);
    } catch (error) {
      // While the parser is still writing the page, the island may not be complete yet;
      // DOMContentLoaded looks again.
      if (d.readyState === "loading") return;
      markHandled(island);
      warn("a data-tagkit-events island is not valid JSON:", error);
      return;
    }
    markHandled(island);
    if (!call || typeof call !== "object" || !Array.isArray(call.events)) {
      warn('a data-tagkit-events island must be {"events": [...], "options": {...}}:', call);
      return;
    }
    if (id) sent[id] = true;
    schedule(function () {
      return JSON.parse(text);
    });
  }

  function sendPending(root) {
    var scope = root || d;
    try {
      if (scope.matches && scope.matches(SELECTOR)) handle(scope);
      var islands = scope.querySelectorAll ? scope.querySelectorAll(SELECTOR) : [];
      for (var i = 0; i < islands.length; i++) {
        try {
          handle(islands[i]);
        } catch (error) {
          warn("could not send an island:", error);
        }
      }
    } catch (error) {
      warn("could not look for islands:", error);
    }
  }

  ns.sendPending = sendPending;
  sendPending();

  if (d.readyState === "loading") {
    d.addEventListener("DOMContentLoaded", function () {
      sendPending();
    });
  }

  if (typeof w.MutationObserver === "function" && d.documentElement) {
    new w.MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var record = records[i];
        // Text added to an island that was inserted empty.
        var target = record.target;
        if (target && target.nodeType === 1 && target.matches && target.matches(SELECTOR)) {
          sendPending(target);
        }
        var added = record.addedNodes;
        for (var j = 0; j < added.length; j++) {
          if (added[j].nodeType === 1) sendPending(added[j]);
        }
      }
    }).observe(d.documentElement, { childList: true, subtree: true });
  }
})(window, document);
