"""tagkit's browser files, to include under a prefix of your choice::

    path("_tagkit/", include("tagkit.integrations.django.urls")),

then ``<script src="{% url 'tagkit-runtime' 'tagkit-cart.js' %}" defer></script>``.
"""

from __future__ import annotations

from django.urls import path

from .views import runtime

urlpatterns = [path("<str:name>", runtime, name="tagkit-runtime")]
