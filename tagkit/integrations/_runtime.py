"""The browser files tagkit ships that a site serves: the runner of no-inline event islands
and the AJAX cart kit. The Flask and Django integrations serve them from these bytes.

>>> "tagkit-cart.js" in shipped_files()
True
>>> runtime_file("connectif-double.js") is None   # test files are not served
True
"""

from __future__ import annotations

from ..events import RUNTIME_FILES

CART_KIT = "tagkit-cart.js"
CONTENT_TYPE = "text/javascript; charset=utf-8"
# Revalidated on every use, so a tagkit upgrade reaches browsers at once.
CACHE_CONTROL = "no-cache"
# A fragment holds the visitor's own cart: never stored by a shared or a browser cache.
FRAGMENT_CACHE_CONTROL = "private, no-store"
NO_STORE = "private, no-store"


def shipped_files() -> tuple[str, ...]:
    """The names of the files a site may serve."""
    return tuple(dict.fromkeys((*RUNTIME_FILES, CART_KIT)))


def runtime_file(name: str) -> bytes | None:
    """The content of shipped file ``name``, or ``None`` if ``name`` is not one."""
    from .._resources import static_path

    if name not in shipped_files():
        return None
    return static_path(name).read_bytes()


__all__ = [
    "CACHE_CONTROL",
    "CART_KIT",
    "CONTENT_TYPE",
    "FRAGMENT_CACHE_CONTROL",
    "NO_STORE",
    "runtime_file",
    "shipped_files",
]
