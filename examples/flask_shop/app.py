"""A small Flask shop that tells Connectif what its visitors do, through tagkit.

Run it from the repository root::

    pip install -e '.[flask]'
    flask --app examples/flask_shop/app.py run

Every page has the loader and its data (``base.html``); logging in, registering and subscribing
queue a one-shot event that the next page sends; the order confirmation sends the purchase once;
the cart changes without a page load and ``tagkit-cart.js`` tells Connectif. The store id below
is an example: use yours, and ``TAGKIT_MODE="events"`` when the store's "auto-send events on
init" is off.
"""

from __future__ import annotations

import os
import secrets
from decimal import Decimal
from typing import Any

from flask import Flask, abort, redirect, render_template, request, session, url_for

from tagkit import Cart, ValidationError
from tagkit.integrations.flask import Tagkit, cart_fragment, queue_event

BASE_URL = "https://shop.example"
PRODUCTS: dict[str, dict[str, Any]] = {
    "SKU-77": {
        "name": "Red running shoe",
        "price": Decimal("49.90"),
        "category": "/Shoes/Running",
        "description": "Light, red, fast.",
    },
    "SKU-78": {
        "name": 'Trail shoe "Pro" <waterproof> & grippy',
        "price": Decimal("89.00"),
        "category": "/Shoes/Trail",
        "description": "For mud & rocks.",
    },
    "SKU-90": {
        "name": "Wool socks, 3 pack 🧦 ñ",
        "price": Decimal("12.50"),
        "category": "/Socks",
        "description": "Warm.",
    },
}
CATEGORIES = {
    "running": "/Shoes/Running",
    "trail": "/Shoes/Trail",
    "socks": "/Socks",
}
# Orders by id; a real shop keeps them in its database.
ORDERS: dict[str, dict[str, Any]] = {}


def create_app(**config: Any) -> Flask:
    """The shop; ``config`` overrides its settings (tests set TAGKIT_MODE, SECRET_KEY ...)."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("SHOP_SECRET_KEY") or secrets.token_hex(16),
        TAGKIT_STORE_ID="0f8fad5b-d9cb-469f-a165-70867728950e",
        TAGKIT_REGION="eu6",
        TAGKIT_MODE=os.environ.get("TAGKIT_MODE", "tags"),
    )
    app.config.update(config)
    Tagkit(app)
    _routes(app)
    return app


# -- what every page tells Connectif ----------------------------------------------------------


def product(sku: str) -> dict[str, Any]:
    """A catalogue product in tagkit's page-document form."""
    item = PRODUCTS[sku]
    return {
        "url": f"{BASE_URL}/p/{sku}",
        "product_id": sku,
        "name": item["name"],
        "unit_price": item["price"],
        "category": [item["category"]],
        "description": item["description"],
    }


def current_cart() -> dict[str, Any] | None:
    """The visitor's cart as tagkit data, or None when the visitor has none."""
    cart = session.get("cart")
    if cart is None:
        return None
    lines = []
    for sku, quantity in cart["items"].items():
        lines.append(
            {**product(sku), "quantity": quantity, "price": PRODUCTS[sku]["price"] * quantity}
        )
    if not lines:
        return Cart.empty(cart["id"]).to_dict()
    return {
        "cart_id": cart["id"],
        "total_quantity": sum(line["quantity"] for line in lines),
        "total_price": sum((line["price"] for line in lines), Decimal(0)),
        "products": lines,
    }


def page_data(**data: Any) -> dict[str, Any]:
    """A page document: the page's own data plus the visitor and the cart."""
    user = session.get("user")
    if user is not None:
        data["contact"] = {"primary_key": user["email"], "_name": user["name"]}
    cart = current_cart()
    if cart is not None and "cart" not in data:
        data["cart"] = cart
    return data


def show(template: str, **context: Any) -> str:
    cart = session.get("cart")
    count = sum(cart["items"].values()) if cart else 0
    return render_template(template, cart_count=count, user=session.get("user"), **context)


# -- pages ------------------------------------------------------------------------------------


def _routes(app: Flask) -> None:
    @app.get("/")
    def home() -> str:
        return show("home.html", page=page_data(page_tags=["home"]), products=PRODUCTS)

    @app.get("/c/<slug>")
    def category(slug: str) -> str:
        path = CATEGORIES.get(slug) or abort(404)
        listed = {sku: p for sku, p in PRODUCTS.items() if p["category"] == path}
        return show(
            "category.html", page=page_data(page_categories=[path]), path=path, products=listed
        )

    @app.get("/p/<sku>")
    def product_page(sku: str) -> str:
        if sku not in PRODUCTS:
            abort(404)
        data = page_data(
            product_visited=[product(sku)], page_categories=[PRODUCTS[sku]["category"]]
        )
        return show("product.html", page=data, sku=sku, item=PRODUCTS[sku])

    @app.get("/search")
    def search() -> str:
        text = request.args.get("q", "").strip()
        found = [sku for sku, p in PRODUCTS.items() if text and text.lower() in p["name"].lower()]
        data = page_data()
        if text:
            data["search"] = text
            data["product_searched"] = [product(sku) for sku in found]
        return show(
            "search.html", page=data, text=text, found={sku: PRODUCTS[sku] for sku in found}
        )

    @app.get("/cart")
    def cart_page() -> str:
        return show("cart.html", page=page_data(), cart=current_cart())

    @app.get("/cart/fragment")
    def cart_tag() -> Any:
        return cart_fragment(current_cart())

    @app.post("/cart/add")
    def cart_add() -> Any:
        sku = request.form.get("sku", "")
        if sku not in PRODUCTS:
            abort(400)
        cart = session.get("cart") or {"id": "c-" + secrets.token_hex(6), "items": {}}
        cart["items"][sku] = cart["items"].get(sku, 0) + 1
        session["cart"] = cart
        return _cart_changed()

    @app.post("/cart/remove")
    def cart_remove() -> Any:
        cart = session.get("cart")
        if cart is not None:
            cart["items"].pop(request.form.get("sku", ""), None)
            session["cart"] = cart
        return _cart_changed()

    @app.post("/checkout")
    def checkout() -> Any:
        cart = current_cart()
        if not cart or not cart.get("products"):
            return redirect(url_for("cart_page"))
        order_id = f"o-{len(ORDERS) + 1001}"
        ORDERS[order_id] = {
            "purchase_id": order_id,
            "cart_id": cart["cart_id"],
            "total_quantity": cart["total_quantity"],
            "total_price": cart["total_price"],
            "payment_method": "card",
            "products": cart["products"],
        }
        session.pop("cart")
        return redirect(url_for("thanks", order_id=order_id))

    @app.get("/orders/<order_id>/thanks")
    def thanks(order_id: str) -> str:
        order = ORDERS.get(order_id) or abort(404)
        # Sent once per purchase_id however often this page is shown; the emptied cart ends
        # Connectif's abandoned-cart messages for the cart that was bought.
        data = page_data(purchases=[order], cart=Cart.empty(order["cart_id"]))
        return show("thanks.html", page=data, order=order)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        if request.method == "GET":
            return show("login.html", page=page_data(), error=None)
        email = request.form.get("email", "").strip()
        if "@" not in email:
            return show("login.html", page=page_data(), error="Enter your email."), 400
        session["user"] = {"email": email, "name": email.split("@")[0]}
        queue_event("login")
        return redirect(url_for("home"))

    @app.route("/register", methods=["GET", "POST"])
    def register() -> Any:
        if request.method == "GET":
            return show("register.html", page=page_data(), error=None)
        email = request.form.get("email", "").strip()
        name = request.form.get("name", "").strip() or email.split("@")[0]
        if "@" not in email:
            return show("register.html", page=page_data(), error="Enter your email."), 400
        session["user"] = {"email": email, "name": name}
        queue_event("register")
        return redirect(url_for("home"))

    @app.post("/logout")
    def logout() -> Any:
        session.pop("user", None)
        return redirect(url_for("home"))

    @app.route("/newsletter", methods=["GET", "POST"])
    def newsletter() -> Any:
        if request.method == "GET":
            return show("newsletter.html", page=page_data(), error=None)
        try:
            queue_event("newsletter-subscribe", request.form.get("email", ""))
        except ValidationError as exc:
            return show("newsletter.html", page=page_data(), error=str(exc)), 400
        return redirect(url_for("home"))


def _cart_changed() -> Any:
    # The page's script refreshes the cart tag itself; a browser without JavaScript posts the
    # form and comes back to a page that carries the new cart.
    if request.headers.get("X-Requested-With") == "fetch":
        cart = session.get("cart")
        return {"count": sum(cart["items"].values()) if cart else 0}
    return redirect(request.referrer or url_for("cart_page"))
