"""`make system`: the Debian packages `make demo` and `make test` need, checked with
dpkg-query and installed with apt-get as root; without root it prints the apt-get line
and stops. The target runs from a copy of the Makefile in a world-readable folder, with
dpkg-query, apt-get, id and python replaced by shims where a test needs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

MAKEFILE = Path(settings.BASE_DIR) / "Makefile"
PACKAGES = ["fonts-arphic-uming", "fonts-wqy-zenhei", "chromium", "poppler-utils", "gettext"]
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
MAKE = shutil.which("make") or "make"

# dpkg-query: every package is installed except those in $FAKE_MISSING; `-S` (which
# package owns a file) answers with $FAKE_OWNER, or fails.
DPKG_QUERY = """#!/bin/sh
if [ "$1" = -S ]; then [ -n "$FAKE_OWNER" ] && echo "$FAKE_OWNER: $2" && exit 0; exit 1; fi
for pkg; do :; done
for missing in $FAKE_MISSING; do [ "$missing" = "$pkg" ] && exit 1; done
printf installed
"""
# apt-get: records its arguments and DEBIAN_FRONTEND, one call a line.
APT_GET = """#!/bin/sh
echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> "$FAKE_LOG"
"""
ID_ROOT = """#!/bin/sh
echo 0
"""
# A Debian Python without ensurepip (python3.11-venv not installed).
PYTHON_NO_VENV = """#!/bin/sh
case "$2" in
  "import ensurepip") exit 1 ;;
  *) echo python3.11-venv ;;
esac
"""


@pytest.fixture
def work() -> Iterator[Path]:
    """A folder that `nobody` can read, holding the Makefile and an empty shim folder."""
    folder = Path(tempfile.mkdtemp(prefix="make-system-"))
    try:
        folder.chmod(0o755)
        shutil.copy(MAKEFILE, folder / "Makefile")
        (folder / "Makefile").chmod(0o644)
        (folder / "bin").mkdir(mode=0o755)
        log = folder / "apt.log"
        log.touch()
        log.chmod(0o666)
        yield folder
    finally:
        shutil.rmtree(folder)


def shim(work: Path, name: str, script: str) -> None:
    path = work / "bin" / name
    path.write_text(script)
    path.chmod(0o755)


def make_system(
    work: Path, *args: str, unprivileged: bool = False, path: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Runs `make system ARGS` in ``work``; ``unprivileged`` runs it as `nobody` when the
    suite runs as root (else as the current, unprivileged, user)."""
    command = [
        "env",
        "-i",
        f"PATH={path if path is not None else f'{work}/bin:{SYSTEM_PATH}'}",
        f"FAKE_LOG={work / 'apt.log'}",
        *(f"{key}={value}" for key, value in env.items()),
        MAKE,
        "--no-print-directory",
        "-C",
        str(work),
        "system",
        *args,
    ]
    if unprivileged and os.geteuid() == 0:
        command = ["runuser", "-u", "nobody", "--", *command]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )


def apt_calls(work: Path) -> list[str]:
    return (work / "apt.log").read_text().splitlines()


def test_system_is_silent_and_installs_nothing_when_every_package_is_there(work):
    shim(work, "dpkg-query", DPKG_QUERY)
    shim(work, "apt-get", APT_GET)
    shim(work, "id", ID_ROOT)

    done = make_system(work, "PYTHON=/bin/true")

    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert apt_calls(work) == []


def test_system_as_root_updates_then_installs_only_the_missing_packages(work):
    shim(work, "dpkg-query", DPKG_QUERY)
    shim(work, "apt-get", APT_GET)
    shim(work, "id", ID_ROOT)

    done = make_system(work, "PYTHON=/bin/true", FAKE_MISSING="chromium gettext")

    assert done.returncode == 0, done.stderr
    assert done.stdout == "make system: installing the missing Debian packages: chromium gettext\n"
    assert apt_calls(work) == [
        "DEBIAN_FRONTEND=noninteractive update -qq",
        "DEBIAN_FRONTEND=noninteractive install -y -qq --no-install-recommends chromium gettext",
    ]


def test_system_adds_postgresql_only_for_the_postgresql_run(work):
    shim(work, "dpkg-query", DPKG_QUERY)
    shim(work, "apt-get", APT_GET)
    shim(work, "id", ID_ROOT)

    without = make_system(work, "PYTHON=/bin/true", FAKE_MISSING="postgresql")
    with_postgres = make_system(work, "PYTHON=/bin/true", "POSTGRES=1", FAKE_MISSING="postgresql")

    assert (without.returncode, without.stdout) == (0, "")
    assert with_postgres.returncode == 0, with_postgres.stderr
    assert apt_calls(work)[-1].endswith("--no-install-recommends postgresql")


def test_system_without_root_prints_the_apt_line_and_fails(work):
    """As an unprivileged user, with the real dpkg-query and one package that no
    machine has: the line names only what is missing, and nothing is installed."""
    shim(work, "apt-get", APT_GET)
    packages = "SYSTEM_PACKAGES=gettext no-such-package-for-this-test"

    done = make_system(work, packages, "PYTHON=/bin/true", unprivileged=True)

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(
        "make system: missing Debian packages: no-such-package-for-this-test\n"
        "Installing them needs root. Run this line, then make again:\n"
        "\n"
        "    sudo apt-get install -y --no-install-recommends no-such-package-for-this-test\n"
    )
    assert apt_calls(work) == []


def test_system_without_root_lists_every_missing_package_of_the_default_list(work):
    shim(work, "dpkg-query", DPKG_QUERY)
    shim(work, "apt-get", APT_GET)

    done = make_system(
        work, "PYTHON=/bin/true", unprivileged=True, FAKE_MISSING="fonts-wqy-zenhei poppler-utils"
    )

    assert done.returncode == 2
    assert (
        "    sudo apt-get install -y --no-install-recommends fonts-wqy-zenhei poppler-utils\n"
        in done.stderr
    )
    assert apt_calls(work) == []


def test_system_stops_a_test_run_before_pytest_starts(work):
    """`make test` depends on `system`: a missing package stops it before the venv or
    pytest is touched."""
    shim(work, "dpkg-query", DPKG_QUERY)

    done = subprocess.run(
        [MAKE, "--no-print-directory", "-C", str(work), "test", "PYTHON=/bin/true"],
        env={"PATH": f"{work}/bin:{SYSTEM_PATH}", "FAKE_MISSING": "chromium"},
        capture_output=True,
        text=True,
        timeout=30,
        user="nobody" if os.geteuid() == 0 else None,
        stdin=subprocess.DEVNULL,
    )

    assert done.returncode == 2
    assert "sudo apt-get install -y --no-install-recommends chromium\n" in done.stderr
    assert not (work / ".venv").exists()


def test_system_adds_the_venv_package_of_a_debian_python_without_ensurepip(work):
    shim(work, "dpkg-query", DPKG_QUERY)
    shim(work, "python3.11", PYTHON_NO_VENV)

    done = make_system(work, unprivileged=True, FAKE_OWNER="python3.11-minimal")

    assert done.returncode == 2
    assert "    sudo apt-get install -y --no-install-recommends python3.11-venv\n" in done.stderr


def test_system_without_dpkg_says_what_to_install_and_how_to_skip(work):
    """No dpkg-query on PATH (not Debian): the packages are named and the run stops;
    SYSTEM_PACKAGES= skips the check for a machine set up by hand."""
    stopped = make_system(work, "PYTHON=/bin/true", unprivileged=True, path=f"{work}/bin")
    skipped = make_system(
        work, "PYTHON=/bin/true", "SYSTEM_PACKAGES=", unprivileged=True, path=f"{work}/bin"
    )

    assert stopped.returncode == 2
    assert "dpkg-query is not there" in stopped.stderr
    assert " ".join(PACKAGES) in stopped.stderr
    assert "SYSTEM_PACKAGES=" in stopped.stderr
    assert (skipped.returncode, skipped.stderr) == (0, "")
