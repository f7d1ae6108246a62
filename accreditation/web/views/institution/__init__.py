"""Institution staff: the current cycle at a glance, the checklist with autosave,
evidence, the target level and submission (``pages``), and the checklist's evidence
endpoints (``evidence``)."""

from accreditation.models import User

STAFF = User.Role.INSTITUTION_STAFF
