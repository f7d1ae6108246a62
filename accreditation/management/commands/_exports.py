"""Shared argument handling of the export commands: who the export is for, and the
region a regional export covers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accreditation.models import Region, User


class ExportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="export what this user may see (their permissions apply)",
        )
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def viewer(self, username: str) -> User:
        try:
            return User.objects.select_related("region").get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user {username!r}") from None

    def save(self, path: str, data: bytes, what: str) -> None:
        with open(path, "wb") as handle:
            handle.write(data)
        self.stdout.write(f"{path}: {what} ({len(data)} bytes)")


class RegionalExportCommand(ExportCommand):
    """An export of one region (``--region CODE``) or of the whole country."""

    def add_arguments(self, parser):
        parser.add_argument("--region", default=None, help="division code (default: national)")
        super().add_arguments(parser)

    def read(self, reader: Callable[..., Any], *, username: str, region: str | None, **kwargs):
        """``reader(user=, region=, **kwargs)`` as the user ``username`` for the region
        ``region`` (None: the whole country). Raises ``CommandError`` for an unknown
        user or region, or when the user may not report on it."""
        user = self.viewer(username)
        area = None
        if region:
            area = Region.objects.filter(code=region).first()
            if area is None:
                raise CommandError(f"no region {region}")
        try:
            return reader(user=user, region=area, **kwargs)
        except PermissionDenied:
            raise CommandError(f"{username} may not report on {region or 'the country'}") from None
