"""Regions for the officer's pages: the regions an officer's filters and forms offer,
one region by id within the officer's scope, names by path. One query each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accreditation.models import Region, User
from accreditation.scope import user_scope


def region_get_for_user(*, user: Any, region_id: int) -> Region | None:
    """The region if it lies within ``user``'s regional scope (``scope.covers_path``:
    the region of a county reviewer or officer and below, every region for national
    officers and administrators); None otherwise, whether or not it exists."""
    in_scope = user_scope(user).path_q("path")
    if in_scope is None:
        return None
    return Region.objects.filter(in_scope, pk=region_id).first()


def regions_below_officer(*, viewer: User) -> list[Region]:
    """The officer's region and the regions one level below it, for filters; the
    provinces for national officers."""
    region = viewer.region
    if region is None:
        return list(Region.objects.filter(parent=None).order_by("code"))
    return [region, *Region.objects.filter(parent=region).order_by("code")]


def check_regions_for_officer(*, viewer: User) -> list[Region]:
    """The regions a consistency check can cover: the officer's region and the one level
    below it; every province and city for national officers."""
    region = viewer.region
    if region is None:
        return list(Region.objects.filter(level__in=["province", "city"]).order_by("path"))
    return [region, *Region.objects.filter(parent=region).order_by("code")]


def regions_by_path(*, paths: Iterable[str]) -> dict[str, Region]:
    """Path -> region for the paths given; unknown paths are left out."""
    return {r.path: r for r in Region.objects.filter(path__in=set(paths))}


def region_names_by_path(*, paths: Iterable[str]) -> dict[str, str]:
    """Path -> region name for the paths given; unknown paths are left out."""
    return dict(Region.objects.filter(path__in=list(paths)).values_list("path", "name"))
