from accreditation.models.users import User

__all__ = ["User"]
