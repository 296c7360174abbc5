"""Organizer pages: server-rendered, plain forms and POST-redirect-GET, no JavaScript needed.

One module per section, as in ``workshops/api/``: ``organizations`` (create, dashboard, settings),
``staff``, ``library`` (exercises and programs), ``scheduling`` (workshops and sessions) and
``enrollment``. ``base`` holds what every page shares (``org_page``, ``render_page``...); the
feedback pages use it too.
"""
