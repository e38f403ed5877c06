"""Organisations: one name per organisation, its own bodies per owner, no junk names."""

from __future__ import annotations

import pytest

from minutes_extract import organisations


@pytest.mark.parametrize("a, b", [
    ("IX", "Ix"),
    ("LiTHe kod", "LiTHe Kod"),
    ("Länsstyrelsen Skåne", "Länsstyrelsen i Skåne"),
    ("Länsstyrelsen i Skåne län", "Länsstyrelsen Skåne"),
    ("Länsstyrelsen i Västra Götalands län", "länsstyrelsen västra götaland"),
    ("Serneke ABs", "Serneke AB"),
    ("Lomma Servicebostäder AB:s", "Lomma  Servicebostäder AB"),
])
def test_forms_of_one_name_share_a_key(a, b):
    assert organisations.key(a) == organisations.key(b)


@pytest.mark.parametrize("a, b", [
    ("Region Skåne", "Skåne"),
    ("Datorföreningen Stacken", "Stacken"),
    ("Ideell förening i Lund", "Ideell förening Lunds"),
])
def test_different_names_keep_different_keys(a, b):
    assert organisations.key(a) != organisations.key(b)


@pytest.mark.parametrize("name", ["Sida 1 av 27", "BEVIS Protokollet", "Bevis/Anslag Justering",
                                  "Sammanträdesdatum Datum", "12", "§ 4", ""])
def test_page_furniture_and_labels_are_no_organisations(name):
    assert not organisations.plausible(name)


@pytest.mark.parametrize("name", ["IX", "Vår Bygd 1891", "Region Halland", "Sveriges Lärare"])
def test_names_are_organisations(name):
    assert organisations.plausible(name)


@pytest.mark.parametrize("name, kind", [
    ("Europeiska socialfonden", True), ("Entomologiska Sällskapet", True),
    ("Serneke ABs", True), ("Havs- och vattenmyndigheten", True),
    ("Torsdagars luncher är", False), ("IKEA Behövd", False), ("Google Meeting", False),
    ("Kommunens inställning", False),
])
def test_a_name_that_ends_with_a_kind_of_organisation(name, kind):
    assert organisations.names_a_kind(name) is kind


@pytest.mark.parametrize("name, own", [
    ("Kommunstyrelsen", True), ("Kommunstyrelsens arbetsutskott", True),
    ("Barn- och utbildningsnämnden", True), ("Styrelsen", True), ("Valberedningen", True),
    ("Länsstyrelsen", False), ("Datorföreningen Stacken", False), ("Region Skåne", False),
    ("Skatteverket", False),
])
def test_a_body_every_municipality_or_association_has(name, own):
    assert organisations.is_own_body(name) is own


def test_a_state_agency_is_nobodys_body():
    assert not organisations.is_own_body("Skogsstyrelsen")
    assert not organisations.is_own_body("Socialstyrelsen")
