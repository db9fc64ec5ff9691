"""The shop's pages, the cart fragment and tagkit's scripts."""

from django.urls import include, path, re_path
from django.views.static import serve

from . import settings, views

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>", views.category, name="category"),
    path("p/<str:sku>", views.product_page, name="product"),
    path("search", views.search, name="search"),
    path("cart", views.cart_page, name="cart"),
    path("cart/fragment", views.cart_tag, name="cart-fragment"),
    path("cart/add", views.cart_add, name="cart-add"),
    path("cart/remove", views.cart_remove, name="cart-remove"),
    path("checkout", views.checkout, name="checkout"),
    path("orders/<str:order_id>/thanks", views.thanks, name="thanks"),
    path("login", views.login, name="login"),
    path("register", views.register, name="register"),
    path("logout", views.logout, name="logout"),
    path("newsletter", views.newsletter, name="newsletter"),
    path("_tagkit/", include("tagkit.integrations.django.urls")),
    # The shop's own script; a real site serves static files with its web server.
    re_path(r"^static/(?P<path>.+)$", serve, {"document_root": settings.BASE_DIR / "static"}),
]
