/*! tagkit-cart.js - tells Connectif about a cart changed without a page load (AJAX cart).
 *
 * Include it once per page, from your own origin:
 *   <script src="/tagkit-cart.js" defer></script>
 * (Flask: url_for("tagkit_runtime", name="tagkit-cart.js"); Django:
 * {% url "tagkit-runtime" "tagkit-cart.js" %}.)
 *
 * After the cart changed on the server, call
 *   tagkit.refreshCart("/cart/fragment")
 * The URL answers with the cart's hidden tag alone, rendered by tagkit (cart_fragment() in the
 * Flask and Django integrations). refreshCart fetches it, puts the new cart element in place of
 * the page's (or adds it to <body>), then calls connectif.managed.sendEvents([]) once
 * Connectif's client is ready: a call without a cart option reads the cart from the page again
 * (docs/connectif.md#lookup-reread), and an empty call sends the cart alone.
 *
 * - An emptied cart is a cart with its id and zero totals: the server renders Cart.empty(id),
 *   and Connectif stops abandoned-cart messages for it (docs/connectif.md#tag-cart-empty).
 * - An unchanged cart is not sent: refreshCart sends nothing when the new element equals the
 *   old one, and the client itself drops a cart equal to the last one it sent
 *   (docs/connectif.md#dedup-cart).
 * - Calls that overlap are answered in order: a response that arrives after a newer call's is
 *   ignored, so the page never goes back to an older cart.
 *
 * It returns a Promise of true (the cart changed; it is sent as soon as the client is ready),
 * or false (unchanged, or overtaken by a newer call). The Promise rejects when the fragment
 * cannot be fetched (network error, HTTP status other than 2xx), with an Error naming the URL,
 * so the shop can show it. It does not wait for Connectif: a blocked client script (an ad
 * blocker) never holds up the shop's own code. Readiness follows tagkit's event scripts
 * (docs/connectif.md#wait-readiness): send now when the client is initialised, otherwise once
 * "connectif.managed.initialized" is dispatched; a failed send goes to console.warn.
 */
(function (w, d) {
  "use strict";

  var CART_SELECTOR = ".cn_cart";
  var READY = "connectif.managed.initialized";

  var ns;
  try {
    ns = w.tagkit = w.tagkit || {};
    if (typeof ns.refreshCart === "function") return; // this file is on the page twice
  } catch (error) {
    return; // window.tagkit is taken by something else: do nothing rather than throw
  }

  var latest = 0;

  function warn(message, error) {
    if (w.console && w.console.warn) w.console.warn("tagkit: " + message, error);
  }

  function sendCart() {
    function send(managed) {
      var result = managed.sendEvents([]);
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
        wait(); // client 1.3.0 throws before its initialisation starts
      }
    }
  }

  // Put the fragment's cart in place of the page's; false when nothing changes.
  function replaceCart(html) {
    var holder = d.createElement("template");
    holder.innerHTML = html;
    var fresh = holder.content.querySelector(CART_SELECTOR);
    var old = d.querySelectorAll(CART_SELECTOR);
    if (!fresh && !old.length) return false;
    if (fresh && old.length === 1 && old[0].outerHTML === fresh.outerHTML) return false;
    var start = 0;
    if (fresh) {
      fresh = d.importNode(fresh, true);
      if (old.length) {
        old[0].parentNode.replaceChild(fresh, old[0]);
        start = 1;
      } else {
        d.body.appendChild(fresh);
      }
    }
    // The client reads the first cart only (docs/connectif.md#lookup-first-instance).
    for (var i = start; i < old.length; i++) {
      if (old[i].parentNode) old[i].parentNode.removeChild(old[i]);
    }
    return true;
  }

  ns.refreshCart = function (fragmentUrl) {
    var ticket = ++latest;
    var url = String(fragmentUrl);
    return w
      .fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html" },
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("tagkit: the cart fragment " + url + " answered HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (ticket !== latest) return false;
        if (!replaceCart(html)) return false;
        sendCart();
        return true;
      });
  };
})(window, document);
