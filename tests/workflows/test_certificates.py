import threading

import pytest
from django.db import connection, connections, transaction

from accreditation.models import CertificateSequence
from accreditation.services.recognitions import add_years, certificate_number_allocate


def test_numbers_count_up_per_province_year_and_level(db):
    numbers = [
        certificate_number_allocate(province_code="44", year=2026, level=level)
        for level in ("recommended", "recommended", "basic", "qualified", "recommended")
    ]
    assert numbers == [
        "JC-44-2026-T-00001",
        "JC-44-2026-T-00002",
        "JC-44-2026-J-00001",
        "JC-44-2026-H-00001",
        "JC-44-2026-T-00003",
    ]
    assert certificate_number_allocate(province_code="44", year=2027, level="basic") == (
        "JC-44-2027-J-00001"
    )
    assert CertificateSequence.objects.count() == 4


def test_the_number_format_is_a_setting(db, settings):
    settings.ACCREDITATION = {"CERTIFICATE_NUMBER_FORMAT": "{province}{year}{letter}{seq:04d}"}
    assert certificate_number_allocate(province_code="99", year=2026, level="basic") == (
        "992026J0001"
    )


def test_valid_until_moves_29_february_to_28_february():
    import datetime as dt

    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    assert add_years(dt.date(2026, 6, 30), 3) == dt.date(2029, 6, 30)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need a server database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_repeat_a_number():
    workers = 8
    barrier = threading.Barrier(workers)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def allocate():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                numbers.append(
                    certificate_number_allocate(province_code="99", year=2026, level="basic")
                )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(numbers) == [f"JC-99-2026-J-{n:05d}" for n in range(1, workers + 1)]
