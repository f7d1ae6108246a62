"""Views per audience: ``common`` (home, downloads), ``institution`` (self-assessment),
``public`` (certificate verification)."""
