"""The shop's views: each page passes its data to ``{% connectif_page page %}`` (base.html);
logging in, registering and subscribing queue a one-shot event for the next page."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tagkit import Cart, ValidationError
from tagkit.integrations.django import queue_event
from tagkit.integrations.django.views import cart_fragment

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
CATEGORIES = {"running": "/Shoes/Running", "trail": "/Shoes/Trail", "socks": "/Socks"}
# Orders by id; a real shop keeps them in its database.
ORDERS: dict[str, dict[str, Any]] = {}


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


def current_cart(request: HttpRequest) -> dict[str, Any] | None:
    """The visitor's cart as tagkit data, or None when the visitor has none."""
    cart = request.session.get("cart")
    if cart is None:
        return None
    lines = [
        {**product(sku), "quantity": quantity, "price": PRODUCTS[sku]["price"] * quantity}
        for sku, quantity in cart["items"].items()
    ]
    if not lines:
        return Cart.empty(cart["id"]).to_dict()
    return {
        "cart_id": cart["id"],
        "total_quantity": sum(line["quantity"] for line in lines),
        "total_price": sum((line["price"] for line in lines), Decimal(0)),
        "products": lines,
    }


def page_data(request: HttpRequest, **data: Any) -> dict[str, Any]:
    """A page document: the page's own data plus the visitor and the cart."""
    user = request.session.get("user")
    if user is not None:
        data["contact"] = {"primary_key": user["email"], "_name": user["name"]}
    cart = current_cart(request)
    if cart is not None and "cart" not in data:
        data["cart"] = cart
    return data


def show(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    cart = request.session.get("cart")
    context.update(
        cart_count=sum(cart["items"].values()) if cart else 0, user=request.session.get("user")
    )
    return render(request, template, context, status=status)


def listing(skus: list[str]) -> list[dict[str, Any]]:
    return [{"sku": sku, **PRODUCTS[sku]} for sku in skus]


def home(request: HttpRequest) -> HttpResponse:
    page = page_data(request, page_tags=["home"])
    return show(request, "home.html", page=page, products=listing(list(PRODUCTS)))


def category(request: HttpRequest, slug: str) -> HttpResponse:
    path = CATEGORIES.get(slug)
    if path is None:
        raise Http404(slug)
    skus = [sku for sku, p in PRODUCTS.items() if p["category"] == path]
    page = page_data(request, page_categories=[path])
    return show(request, "category.html", page=page, path=path, products=listing(skus))


def product_page(request: HttpRequest, sku: str) -> HttpResponse:
    if sku not in PRODUCTS:
        raise Http404(sku)
    item = PRODUCTS[sku]
    page = page_data(request, product_visited=[product(sku)], page_categories=[item["category"]])
    return show(request, "product.html", page=page, sku=sku, item=item)


def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    found = [sku for sku, p in PRODUCTS.items() if text and text.lower() in p["name"].lower()]
    page = page_data(request)
    if text:
        page["search"] = text
        page["product_searched"] = [product(sku) for sku in found]
    return show(request, "search.html", page=page, text=text, products=listing(found))


def cart_page(request: HttpRequest) -> HttpResponse:
    return show(request, "cart.html", page=page_data(request), cart=current_cart(request))


def cart_tag(request: HttpRequest) -> HttpResponse:
    return cart_fragment(current_cart(request))


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    sku = request.POST.get("sku", "")
    if sku not in PRODUCTS:
        return HttpResponse(status=400)
    cart = request.session.get("cart") or {"id": "c-" + secrets.token_hex(6), "items": {}}
    cart["items"][sku] = cart["items"].get(sku, 0) + 1
    request.session["cart"] = cart
    return cart_changed(request)


@require_POST
def cart_remove(request: HttpRequest) -> HttpResponse:
    cart = request.session.get("cart")
    if cart is not None:
        cart["items"].pop(request.POST.get("sku", ""), None)
        request.session["cart"] = cart
    return cart_changed(request)


def cart_changed(request: HttpRequest) -> HttpResponse:
    # The page's script refreshes the cart tag itself; a browser without JavaScript posts the
    # form and comes back to a page that carries the new cart.
    if request.headers.get("X-Requested-With") == "fetch":
        cart = request.session.get("cart")
        return JsonResponse({"count": sum(cart["items"].values()) if cart else 0})
    return redirect("cart")


@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    cart = current_cart(request)
    if not cart or not cart.get("products"):
        return redirect("cart")
    order_id = f"o-{len(ORDERS) + 1001}"
    ORDERS[order_id] = {
        "purchase_id": order_id,
        "cart_id": cart["cart_id"],
        "total_quantity": cart["total_quantity"],
        "total_price": cart["total_price"],
        "payment_method": "card",
        "products": cart["products"],
    }
    del request.session["cart"]
    return redirect("thanks", order_id=order_id)


def thanks(request: HttpRequest, order_id: str) -> HttpResponse:
    order = ORDERS.get(order_id)
    if order is None:
        raise Http404(order_id)
    # Sent once per purchase_id however often this page is shown; the emptied cart ends
    # Connectif's abandoned-cart messages for the cart that was bought.
    page = page_data(request, purchases=[order], cart=Cart.empty(order["cart_id"]))
    return show(request, "thanks.html", page=page, order=order)


def _sign_in(request: HttpRequest, template: str, event: str) -> HttpResponse:
    if request.method != "POST":
        return show(request, template, page=page_data(request), error=None)
    email = request.POST.get("email", "").strip()
    if "@" not in email:
        return show(request, template, 400, page=page_data(request), error="Enter your email.")
    name = request.POST.get("name", "").strip() or email.split("@")[0]
    request.session["user"] = {"email": email, "name": name}
    queue_event(request, event)
    return redirect("home")


def login(request: HttpRequest) -> HttpResponse:
    return _sign_in(request, "login.html", "login")


def register(request: HttpRequest) -> HttpResponse:
    return _sign_in(request, "register.html", "register")


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    request.session.pop("user", None)
    return redirect("home")


def newsletter(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return show(request, "newsletter.html", page=page_data(request), error=None)
    try:
        queue_event(request, "newsletter-subscribe", request.POST.get("email", ""))
    except ValidationError as exc:
        return show(request, "newsletter.html", 400, page=page_data(request), error=str(exc))
    return redirect("home")
