"""Postal code against region (Google's address data, offline): agreement, mismatch with the region it
is in, a code of the wrong shape, and no verdict where the data cannot tell."""

from __future__ import annotations

import pytest

from parsers.postal import PostalCheck, check_postal, country_code
from parsers.regions import region_country


@pytest.mark.parametrize(("country", "region", "postal", "expected"), [
    ("US", "NY", "10001", PostalCheck(True, "ZIP 10001 is in NY (New York)")),
    ("USA", "ny", "10001-4422", PostalCheck(True, "ZIP 10001-4422 is in NY (New York)")),
    ("US", "CA", "10001", PostalCheck(False, "ZIP 10001 is in NY, not CA")),
    ("United States", "California", "10001", PostalCheck(False, "ZIP 10001 is in New York, not California")),
    ("US", "CA", "9021", PostalCheck(False, "9021 is not a US ZIP")),
    ("Canada", "AB", "t2p 1j9", PostalCheck(True, "postal code T2P 1J9 is in AB (Alberta)")),
    ("CA", "ON", "T2P1J9", PostalCheck(False, "postal code T2P1J9 is in AB, not ON")),
    ("España", "Madrid", "08001", PostalCheck(False, "postal code 08001 is in Barcelona, not Madrid")),
    ("ES", "Barcelona", "08001", PostalCheck(True, "postal code 08001 is in Barcelona")),
    ("Brasil", "RJ", "20040-020", PostalCheck(True, "postal code 20040-020 is in RJ (Rio de Janeiro)")),
    ("BR", "SP", "20040-020", PostalCheck(False, "postal code 20040-020 is in RJ, not SP")),
    ("Italia", "Milano", "20121", PostalCheck(True, "postal code 20121 is in Milano")),
], ids=lambda v: v if isinstance(v, str) else "")
def test_postal_code_against_region(country: str, region: str, postal: str, expected: PostalCheck) -> None:
    assert check_postal(country, region, postal) == expected


@pytest.mark.parametrize(("country", "region", "postal"), [
    ("DE", "Berlin", "10115"),          # no per-region prefixes in the data: no guess
    ("GB", "England", "SW1A 1AA"),
    ("Nederland", "Utrecht", "3511 AB"),
    (None, "CA", "10001"),               # the country is not known
    ("Atlantis", "CA", "10001"),
    ("US", "Gondor", "10001"),          # a region the country does not have
    ("US", "", "10001"),
    ("US", "NY", ""),
])
def test_no_verdict_where_the_data_cannot_tell(country: str | None, region: str, postal: str) -> None:
    assert check_postal(country, region, postal) is None


def test_country_names_codes_and_translations() -> None:
    assert [country_code(c) for c in ("us", "USA", "U.S.A.", "United States", "Deutschland", "Brasil", "México",
                                      "Canada", "ZZ", "", None)] == [
        "US", "US", "US", "US", "DE", "BR", "MX", "CA", None, None, None]


@pytest.mark.parametrize(("name", "country"), [
    ("Oregon", "US"), ("oregon", "US"), ("Bayern", "DE"), ("Bavaria", "DE"), ("Baviera", "DE"), ("Kent", "GB"),
    ("Gloucestershire", "GB"), ("Minas Gerais", "BR"), ("Haute-Savoie", "FR"), ("Albacete", "ES"),
    ("Québec", "CA"), ("Quebec", "CA"), ("Catalunya", "ES"), ("Cataluña", "ES"), ("Asturias", "ES"),
])
def test_regions_are_known_by_their_names_in_our_languages(name: str, country: str) -> None:
    assert region_country(name) == country


@pytest.mark.parametrize("name", ["Reading", "Nottingham", "Glasgow", "Leeds", "Springfield", "SP", "", None])
def test_towns_codes_and_nothing_are_no_region(name: str | None) -> None:
    # an English town that is its own unitary authority is a city, not a county; codes need their country
    assert region_country(name) is None
