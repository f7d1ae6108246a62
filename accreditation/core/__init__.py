"""The bottom layer: what ``accreditation`` and ``standards`` both need, importing only
Django and the standard library (``core.api`` also Django REST framework and
django-filter) and no other module of the project.

* ``errors`` — the domain error vocabulary and its one HTTP mapping;
* ``files`` — content-type sniffing, zip-expansion checks, safe file names;
* ``text`` — NUL and length limits on free text;
* ``audit_chain`` (pure) and ``audit`` — the chained audit log and its one writer;
* ``api`` — the API's base helpers (request validation, the FilterSet base, pagination).

Django's own ``django.core`` is the precedent for the name. Models defined here belong
to the ``accreditation`` app (the app whose package contains them), with its tables.
"""
