"""The catalogue part of the API, included at ``/api/v1/catalogue/``: editions with their
chapters, items and grade criteria, rule sets, and the what-if evaluation."""
