// Cart buttons without a page load: post the form, then let tagkit-cart.js tell Connectif.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form[data-cart]")) return;
  event.preventDefault();
  fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    credentials: "same-origin",
    headers: { "X-Requested-With": "fetch" },
  })
    .then(function (response) {
      if (!response.ok) throw new Error("cart update failed: HTTP " + response.status);
      return response.json();
    })
    .then(function (cart) {
      document.getElementById("cart-count").textContent = String(cart.count);
      return window.tagkit.refreshCart(document.body.getAttribute("data-cart-fragment"));
    })
    .then(function () {
      document.body.setAttribute("data-cart-refreshed", String(Date.now()));
    })
    .catch(function (error) {
      document.getElementById("cart-error").textContent = String(error.message || error);
    });
});
