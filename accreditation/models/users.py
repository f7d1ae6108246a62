from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person using the engine; roles and scopes are added by the people models."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
