"""Payloads that list several people under keys of any name: an XML export's repeated element, a JSON
``results.items`` list. One lead per person; one person's several phones stay one lead."""

from __future__ import annotations

from tests.parsers.helpers import structured


def people(raw: str, hint: str) -> list[tuple[str | None, str | None]]:
    _vendor, leads = structured(raw, hint)
    return [(lead.value("full_name"), lead.value("phone")) for lead in leads]


def test_a_repeated_xml_element_gives_one_lead_each() -> None:
    xml = ("<?xml version='1.0'?><enquiries source='x'><enquiry id='1'><customer><forename>Harriet</forename>"
           "<surname>Coombes</surname><telephone>07700 900418</telephone></customer><job>Loft</job></enquiry>"
           "<enquiry id='2'><customer><forename>Vikram</forename><surname>Chaudhry</surname>"
           "<telephone>07700 900562</telephone></customer><job>Garage</job></enquiry></enquiries>")
    assert people(xml, "export.xml") == [("Harriet Coombes", "07700 900418"), ("Vikram Chaudhry", "07700 900562")]


def test_a_list_nested_under_any_keys_gives_one_lead_each() -> None:
    payload = ('{"status": "ok", "results": {"page": 1, "items": [{"person": {"name": "Vera Xu", "phone": '
               '"617-555-0103"}}, {"person": {"name": "Walt Yee", "phone": "617-555-0104"}}]}}')
    assert people(payload, "hook.json") == [("Vera Xu", "617-555-0103"), ("Walt Yee", "617-555-0104")]


def test_one_persons_phone_list_stays_one_lead() -> None:
    payload = ('{"lead": {"contact": {"phones": [{"type": "mobile", "number": "617-555-0105"}, '
               '{"type": "work", "number": "617-555-0106"}]}, "first_name": "Ann", "last_name": "Lee"}}')
    assert people(payload, "hook.json") == [("Ann Lee", "617-555-0105")]


def test_a_record_that_names_its_person_is_not_a_list() -> None:
    payload = ('{"name": "Ann Lee", "phone": "617-555-0107", "referrals": [{"name": "Bo Li", "email": "bo@x.example"},'
               ' {"name": "Cy Wu", "email": "cy@x.example"}]}')
    assert [name for name, _phone in people(payload, "hook.json")] == ["Ann Lee"]
