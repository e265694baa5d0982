"""The gettext catalogs: ``<language>/LC_MESSAGES/messages.po``, compiled to ``messages.mo``.

A package of data only, so that ``importlib.resources.files("locales")`` finds the
catalogs the same way in a checkout (``python -m bot``, the tests), in an editable
install and in an installed wheel, from any working folder. Mapping the folder into
``flows`` with setuptools' ``package-dir`` was the other way; it would put the
catalogs where a checkout run cannot see them (``flows/`` has no ``locales/`` in
the source tree), so the code would need two ways to find them. The price is one
more top-level name in the distribution, beside ``bot`` and ``flows``.

A language exists when its ``.po`` file does: adding one is adding that file.
"""
