from accreditation.models.audit import AuditEvent
from accreditation.models.users import User

__all__ = ["AuditEvent", "User"]
