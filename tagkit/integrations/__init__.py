"""tagkit in web frameworks and site generators.

- :mod:`tagkit.integrations.jinja`: a Jinja2 extension with the globals ``connectif_loader``,
  ``connectif_page`` and ``connectif_event`` (any Jinja2 site, and Flask);
- :mod:`tagkit.integrations.flask`: ``Tagkit(app)``, ``queue_event``, ``cart_fragment``
  (``pip install 'tagkit[flask]'``);
- :mod:`tagkit.integrations.django`: the Django app, with ``{% load connectif %}``, system
  checks, a middleware and ``queue_event`` (``pip install 'tagkit[django]'``).

Every framework renders through the same :class:`Visit` logic: one-shot events queued in the
session are sent once, on the next page, and a purchase is sent once per ``purchase_id``.
This package imports neither Flask nor Django; ``import tagkit`` does not import it at all.
"""

from __future__ import annotations

from ._oneshot import queue_event
from ._pages import Visit
from ._settings import Settings

__all__ = ["Settings", "Visit", "queue_event"]
