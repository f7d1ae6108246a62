"""PDF rendering: pure functions from frozen dataclasses to bytes, no ORM inside.

``render_certificate`` and ``render_assessment_report`` take the dataclasses of
``accreditation.pdf.data``; ``certificate_code`` signs a certificate's fields.
Fonts are found once per process (``load_cjk_font``).
"""
