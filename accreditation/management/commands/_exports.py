"""Shared argument handling of the export commands: who the export is for."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accreditation.models import User


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
