"""The REST API, version 1, mounted at ``/api/v1/``.

Views are thin: validate the input with a serializer, fetch objects through the
visibility selectors (out of scope answers 404), call one service (which checks the
permission: forbidden answers 403) or selector, and serialize the result. Every failure
has the one error shape of ``exceptions``.
"""
