"""Payload shapes read badly before issue 10's tenth pass (other sources): typed form answers, CRM field lists,
contact points named by kind, plural camel-case contact keys, primary flags, run-together keys, address lines
in seven languages, the other side in other languages, wrapped XML, form posts with numbered keys, PHP print_r
dumps, form questions in other languages, call transcriptions."""

from __future__ import annotations

import json

from parsers.form_data import form_data
from parsers.payload_keys import contact_line, input_named, names_a_page, run_together, shaped_contact
from parsers.payloads import read_json
from parsers.salvage import looks_php_dump, looks_print_r, php_dump, print_r
from tests.parsers.helpers import one


def test_typed_answer_beats_a_title_the_dictionaries_do_not_know() -> None:
    payload = {"form_response": {
        "definition": {"fields": [{"id": "a", "title": "Best number for the crew"},
                                  {"id": "b", "title": "Where do we send it?"}]},
        "answers": [{"type": "phone_number", "phone_number": "+15555550142", "field": {"id": "a", "ref": "x1"}},
                    {"type": "email", "email": "orla@example.com", "field": {"id": "b", "ref": "x2"}}]}}
    lead = one(json.dumps(payload), "tf.json")
    assert (lead["phone"], lead["email"], lead["interest"]) == ("+15555550142", "orla@example.com", None)


def test_crm_property_values_are_the_records_fields_not_a_listing() -> None:
    lead = one(json.dumps({"contact": {"propertyValues": [
        {"property": "firstname", "value": "Hamish"}, {"property": "lastname", "value": "Buchanan"},
        {"property": "email", "value": "hamish@example.co.uk"}, {"property": "city", "value": "Dundee"}]},
        "owner": {"firstName": "Kelly", "lastName": "Stroud", "email": "kelly@ourfirm.example"}}), "crm.json")
    assert (lead["full_name"], lead["city"], lead["interest"]) == ("Hamish Buchanan", "Dundee", None)


def test_contact_points_named_by_kind_or_type() -> None:
    for key in ("kind", "type"):
        lead = one(json.dumps({"customer": {"given_name": "Ottilie", "family_name": "Brandvold", "contact_points": [
            {key: "phone", "value": "555-555-0138"}, {key: "email", "value": "ob@example.com"}]}}), "cp.json")
        assert (lead["phone"], lead["email"]) == ("555-555-0138", "ob@example.com")


def test_camel_case_plural_contact_keys_and_the_primary_one_first() -> None:
    lead = one(json.dumps({"contact": {"firstName": "Beatrix", "lastName": "Kowalczyk", "phoneNumbers": [
        {"value": "555-555-0199", "primary": False, "type": "work"},
        {"value": "555-555-0188", "primary": True, "type": "mobile"}],
        "emailAddresses": [{"value": "bea@example.com", "type": "home"}]}}), "c.json")
    assert (lead["phone"], lead["email"]) == ("555-555-0188", "bea@example.com")


def test_run_together_keys_name_their_field() -> None:
    lead = one(json.dumps({"fields": [{"name": "firstname", "value": "Tobias"}, {"name": "lastname", "value": "Eng"},
                                      {"name": "mobilephone", "value": "+46 70 123 45 67"}]}), "hs.json")
    assert (lead["phone"], lead["interest"]) == ("+46 70 123 45 67", None)
    assert one(json.dumps({"name": "Ann Lee", "email": "ann@example.com", "zipcode": "97701"}), "z.json")[
        "postal_code"] == "97701"


def test_address_lines_in_other_languages() -> None:
    nl = one(json.dumps({"aanvraag": {"voornaam": "Femke", "achternaam": "Meulen", "email": "f@example.nl",
                                      "adres": {"regel1": "Kerkstraat 12", "postcode": "3511 LK",
                                                "woonplaats": "Utrecht"}}}), "nl.json")
    fr = one(json.dumps({"prenom": "Étienne", "nom": "Lefèvre", "courriel": "e@example.fr",
                         "adresse": {"ligne1": "14 rue des Tanneurs", "code_postal": "67000", "ville": "Strasbourg"}}),
             "fr.json")
    assert (nl["street"], fr["street"]) == ("Kerkstraat 12", "14 rue des Tanneurs")


def test_an_agents_object_in_other_languages_is_set_aside() -> None:
    read = read_json({"kontakt": {"vorname": "Henrike", "nachname": "Baum", "telefon": "0761 123456"},
                      "makler": {"name": "Immobilien Kessler", "telefon": "0761 999999"}})
    lead = read.leads[0].build().plain()
    assert (lead["first_name"], lead["full_name"], lead["phone"]) == ("Henrike", None, "0761 123456")
    assert any(c.role == "agent" and c.value == "Immobilien Kessler" for c in read.leads[0].items)


def test_org_object_is_the_leads_company() -> None:
    lead = one(json.dumps({"current": {"person": {"name": "Radu Ionescu", "email": [{"value": "radu@example.ro"}]},
                                       "org": {"name": "Ionescu Catering SRL"}}}), "deal.json")
    assert lead["company"] == "Ionescu Catering SRL"


def test_numbered_keys_of_a_form_post_are_no_words_of_the_path() -> None:
    body = ("inquiry[customer][name]=Leo+Farkas&inquiry[customer][email]=leo%40example.com"
            "&inquiry[customer][phones][0][number]=555-555-0116&inquiry[agent][name]=Curtis+Vail")
    lead = one(body, "post.txt")
    assert (lead["full_name"], lead["phone"]) == ("Leo Farkas", "555-555-0116")


def test_php_print_r_dump() -> None:
    text = ("log line\nArray\n(\n    [full_name] => Philomena Garrigan\n    [email_address] => pg@example.ie\n"
            "    [business] => Garrigan Bakes\n    [details] => Walk-in fridge\n      service contract\n"
            "    [extra] => Array\n        (\n            [0] => x\n        )\n\n)\n")
    assert looks_print_r(text) and not looks_print_r("[a] => b")
    assert print_r(text) == {"full_name": "Philomena Garrigan", "email_address": "pg@example.ie",
                             "business": "Garrigan Bakes", "details": "Walk-in fridge\nservice contract",
                             "extra": {"0": "x"}}
    lead = one(text, "dump.txt")
    assert (lead["company"], lead["email"]) == ("Garrigan Bakes", "pg@example.ie")


def test_form_questions_in_other_languages_and_answers_shaped_as_contacts() -> None:
    lead = one(json.dumps({"antworten": [
        {"frage": "Wie ist Ihr vollständiger Name?", "antwort": "Wiebke Harms"},
        {"frage": "Unter welcher Nummer erreichen wir Sie?", "antwort": "0176 5550 1290"},
        {"frage": "In welcher Stadt wohnen Sie?", "antwort": "Oldenburg"}]}), "de.json")
    assert (lead["full_name"], lead["phone"], lead["city"]) == ("Wiebke Harms", "0176 5550 1290", "Oldenburg")
    es = one(json.dumps({"respuestas": [{"pregunta": "¿Cuál es su nombre completo?", "respuesta": "Maite Urrutia"},
                                        {"pregunta": "Correo", "respuesta": "maite@example.es"}]}), "es.json")
    assert es["full_name"] == "Maite Urrutia"


def test_a_call_transcription_is_the_callers_message() -> None:
    lead = one(json.dumps({"caller": {"number": "+15555550184", "cnam": "LINDGREN OSCAR"},
                           "transcription": "My furnace won't kick on, can somebody come out today?"}), "call.json")
    assert lead["message"] == "My furnace won't kick on, can somebody come out today?"
    assert lead["full_name"] == "Oscar Lindgren"


def test_name_parts_under_a_names_object() -> None:
    lead = one(json.dumps({"customer": {"names": {"given": "Ravi", "family": "Chandrasekhar"},
                                        "emails": [{"email": "ravi@example.in"}]}}), "c.json")
    assert (lead["first_name"], lead["last_name"]) == ("Ravi", "Chandrasekhar")


def test_a_person_objects_display_name_is_the_persons() -> None:
    lead = one(json.dumps({"customer": {"displayName": "Imogen Farraday", "emailAddress": "imogen@example.com"}}),
               "c.json")
    assert lead["full_name"] == "Imogen Farraday"


def test_numbered_keys_take_their_labels_from_the_form_definition_beside_them() -> None:
    payload = {"entry": {"1.3": "Thandiwe", "1.6": "Mokoena", "2": "tm@example.co.za", "4.3": "Durban"},
               "form": {"fields": [{"id": 1, "label": "Name", "inputs": [{"id": "1.3", "label": "First"},
                                                                          {"id": "1.6", "label": "Last"}]},
                                   {"id": 2, "label": "Email"},
                                   {"id": 4, "label": "Address", "inputs": [{"id": "4.3", "label": "City"}]}]}}
    lead = one(json.dumps(payload), "gf.json")
    assert (lead["first_name"], lead["last_name"], lead["city"]) == ("Thandiwe", "Mokoena", "Durban")


def test_a_plugins_input_type_and_number_in_its_keys() -> None:
    lead = one(json.dumps({"posted_data": {"your-name": "Auberon Fitz", "your-email": "af@example.com",
                                           "tel-123": "01632 960 412", "text-company": "Fitz Estates"}}), "cf.json")
    assert (lead["phone"], lead["company"]) == ("01632 960 412", "Fitz Estates")


def test_a_caller_id_of_a_surname_and_an_initial_is_spelled_by_the_calls_note() -> None:
    call = {"call": {"caller": {"number": "+16145550163", "caller_id": "OKAFOR-LYNN J"}},
            "agent_notes": "Jerome Okafor-Lynn. Needs a new heat pump for a ranch house."}
    assert one(json.dumps(call), "call.json")["full_name"] == "Jerome Okafor-Lynn"
    call["agent_notes"] = "Needs a new heat pump for a ranch house, call after 5."
    assert one(json.dumps(call), "call.json")["full_name"] is None  # an initial names nobody


def test_a_display_name_beside_the_name_parts_is_the_accounts_way_of_showing_them() -> None:
    lead = one(json.dumps({"customer": {"displayName": "The Hollis house", "firstName": "Maeve", "lastName": "Hollis",
                                        "email": "maeve@example.com"}}), "c.json")
    assert lead["full_name"] == "Maeve Hollis"


def test_a_bookings_hosts_and_the_providers_staff_are_not_the_lead() -> None:
    booking = {"payload": {"email": "quentin@example.com", "name": "Quentin Harlow",
                           "scheduled_event": {"event_memberships": [{"user_email": "ae@ourco.example",
                                                                      "user_name": "Dana Whit"}]}}}
    lead = one(json.dumps(booking), "cal.json")
    assert (lead["full_name"], lead["email"]) == ("Quentin Harlow", "quentin@example.com")
    loan = {"borrower": {"first": "Cyrus", "last": "Whitfield", "cell_phone": "555-555-0134"},
            "loan_officer": {"name": "Dana Pruitt", "phone": "555-555-0100"}}
    lead = one(json.dumps(loan), "loan.json")
    assert (lead["full_name"], lead["phone"]) == ("Cyrus Whitfield", "555-555-0134")


def test_answers_naming_their_question_by_id_take_the_questions_name() -> None:
    payload = {"response": {"formResponse": {"answers": [
        {"questionId": 1, "answerDetails": {"textQuestionAnswer": {"answer": "Sigrún"}}},
        {"questionId": 2, "answerDetails": {"textQuestionAnswer": {"answer": "Halldórsdóttir"}}},
        {"questionId": 3, "answerDetails": {"textQuestionAnswer": {"answer": "sigrun@example.is"}}}]},
        "form": {"questions": [{"questionId": 1, "name": "firstName"}, {"questionId": 2, "name": "lastName"},
                               {"questionId": 3, "name": "email"}]}}}
    lead = one(json.dumps(payload), "li.json")
    assert (lead["full_name"], lead["email"]) == ("Sigrún Halldórsdóttir", "sigrun@example.is")


def test_a_name_written_with_its_contacts_in_one_value() -> None:
    lead = one(json.dumps({"contact": "Bartosz Wilk, bartosz.wilk@example.pl, +48 600 555 014",
                           "service": "Klimatyzacja"}), "c.json")
    assert (lead["full_name"], lead["email"], lead["phone"]) == ("Bartosz Wilk", "bartosz.wilk@example.pl",
                                                                 "+48 600 555 014")
    assert contact_line("Ann Lee") is None
    assert contact_line("Ann Lee <ann@example.com>") == [("full_name", "Ann Lee"), ("email", "ann@example.com")]


def test_an_address_objects_own_part_beats_a_whole_street_label_it_spells_with_its_parent() -> None:
    xml = ("<aanvraag><persoon><voornaam>Hidde</voornaam><achternaam>Postma</achternaam>"
           "<email>hidde@example.nl</email><adres><straat>Nieuweweg</straat><huisnummer>18</huisnummer>"
           "<postcode>8911 AB</postcode><plaats>Leeuwarden</plaats></adres></persoon></aanvraag>")
    assert one(xml, "a.xml")["street"] == "Nieuweweg 18"


def test_key_and_value_helpers() -> None:
    assert run_together("mobilephone", None) == ("phone", 20)
    assert run_together("Sonnenblume", None) is None
    assert input_named(["tel", "123"]) is not None and input_named(["text", "company"]) is not None
    assert shaped_contact(" +1 555-555-0124 ") == "phone" and shaped_contact("ann@example.com") == "email"
    assert shaped_contact("Bielefeld") is None and shaped_contact("2026-11-20") is None


def test_a_caller_name_turned_round_by_the_carrier_takes_the_order_the_calls_note_writes() -> None:
    call = {"caller_number": "+15555550192", "tracking_number": "+15555550100", "name": "Piotrowski Dariusz",
            "notes": "Dariusz Piotrowski called re: basement waterproofing estimate"}
    assert one(json.dumps(call), "ctm.json")["full_name"] == "Dariusz Piotrowski"
    twilio = {"CallSid": "CA1", "From": "+4915255501234", "CallerName": "KRAUSE ANNEGRET",
              "TranscriptionText": "Hallo, hier ist Annegret Krause, bitte rufen Sie zurück."}
    lead = one(json.dumps(twilio), "tw.json")
    assert (lead["full_name"], lead["message"]) == ("Annegret Krause",
                                                    "Hallo, hier ist Annegret Krause, bitte rufen Sie zurück.")


def test_more_es_and_pt_key_spellings() -> None:
    lead = one(json.dumps({"nombre": "Inés", "apellido_paterno": "Robles", "correo": "ines@example.mx",
                           "num_tel": "55 5555 0123", "empresa_nombre": "Robles y Asociados"}), "mx.json")
    assert (lead["last_name"], lead["phone"], lead["company"]) == ("Robles", "55 5555 0123", "Robles y Asociados")
    br = one(json.dumps({"nome": "Caio Menezes", "celular_whatsapp": "(11) 95555-0123", "nome_empresa": "Menezes ME",
                         "email": "caio@example.com.br"}), "br.json")
    assert (br["phone"], br["company"]) == ("(11) 95555-0123", "Menezes ME")


def test_a_second_surname_given_apart_joins_the_first() -> None:
    lead = one(json.dumps({"nombre": "María", "apellido_paterno": "García", "apellido_materno": "López",
                           "correo": "mgl@example.mx"}), "mx.json")
    assert (lead["last_name"], lead["full_name"]) == ("García López", "María García López")


def test_a_bare_name_beside_plural_contact_keys_holding_strings() -> None:
    lead = one(json.dumps({"name": "Ottoline Grey", "emails": "ottoline.grey@example.com; o.grey@work.example",
                           "phones": "555-555-0102 / 555-555-0103"}), "p.json")
    assert (lead["full_name"], lead["email"]) == ("Ottoline Grey", "ottoline.grey@example.com")


def test_php_var_dump_and_laravel_dd() -> None:
    var_dump = ('array(2) {\n  ["name"]=>\n  string(14) "Mortimer Vance"\n  ["message"]=>\n'
                '  string(23) "Need a new garage door."\n}\n')
    assert looks_php_dump(var_dump) and php_dump(var_dump) == {"name": "Mortimer Vance",
                                                               "message": "Need a new garage door."}
    dd = 'array:3 [\n  "name" => "Leontine Ashgrove"\n  "company" => "Ashgrove Kennels"\n  "seats" => 12\n]\n'
    assert php_dump(dd) == {"name": "Leontine Ashgrove", "company": "Ashgrove Kennels", "seats": "12"}
    assert not looks_php_dump('{"a" => "b"}')
    lead = one(dd.replace('"seats" => 12', '"email" => "la@example.com"'), "dd.txt")
    assert (lead["company"], lead["email"]) == ("Ashgrove Kennels", "la@example.com")


def test_a_multipart_form_data_body_is_read_by_its_fields() -> None:
    body = ('--xYz\r\nContent-Disposition: form-data; name="from"\r\n\r\nHortensia Blakemore <hb@example.com>\r\n'
            '--xYz\r\nContent-Disposition: form-data; name="subject"\r\n\r\nRoof quote\r\n'
            '--xYz\r\nContent-Disposition: form-data; name="attachment1"; filename="a.txt"\r\n\r\nignored\r\n'
            '--xYz\r\nContent-Disposition: form-data; name="text"\r\n\r\nWe need a quote for a new roof.\r\n'
            '--xYz--\r\n')
    assert json.loads(form_data(body) or "{}") == {"from": "Hortensia Blakemore <hb@example.com>",
                                                   "subject": "Roof quote", "text": "We need a quote for a new roof."}
    assert form_data("Name: Ann\n--\nbye") is None
    lead = one(body, "post.txt")
    assert (lead["full_name"], lead["email"]) == ("Hortensia Blakemore", "hb@example.com")
    assert "--xYz" not in (lead["message"] or "")


def test_a_bare_name_that_names_a_page_or_a_form_is_no_person() -> None:
    lead = one(json.dumps({"title": "New lead", "name": "Spring Promo Landing Page", "email": "lorna@example.com",
                           "phone": "555-555-0107"}), "p.json")
    assert (lead["full_name"], lead["email"]) == (None, "lorna@example.com")
    assert names_a_page("Contact Us") and names_a_page("Request a quote")
    assert not names_a_page("Larry Page") and not names_a_page("Lorna Pike")
