from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSession(AbstractBaseSession):
    """A signed-in (or anonymous) browser session, with the user it belongs to stored
    beside the encoded data, so that one query reads the session and its user
    (``accreditation.sessions``). ``user`` is derived from the data on every save; it
    is empty for anonymous sessions. Deleting a user ends their sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=True,
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accreditation_session"

    @classmethod
    def get_session_store_class(cls):
        from accreditation.sessions import SessionStore

        return SessionStore
