"""What a rep copies in around a lead that is no lead: their own sign-off, a copied Slack conversation's speaker
lines and answers, a forwarded post's quote marks, the heading and closing line around a list of leads."""

from __future__ import annotations

import pytest

from nlp.chat import normalise_chat, split_chat
from nlp.extractor import Extractor
from nlp.note_blocks import framed, unquote_forwarded, without_reps_signoff, without_thread_chatter
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def leads(extractor: Extractor, text: str) -> list[tuple[str | None, str | None]]:
    result = extractor.extract(RawMessage(text.encode(), "slack"))
    return [(lead.value("full_name"), lead.value("phone")) for lead in result.leads]


LEAD = "Lead from the site: Ayla Brooks, ayla.brooks@mail.example, 480-555-0117, wants turf."

SIGNOFFS = {
    "closing phrase above a name and title": "Thanks,\nAlicia Romero\nSales Coordinator | Desert Green | 480-555-0100",
    "logged by": "Logged by: Carla Mendes, Dispatch, 480-555-0100",
    "registrado por": "Registrado por: Iván Ferrer, oficina Zaragoza, 976 555 100",
    "dash before a name": "— Priya, front desk, 480-555-0100",
    "delimiter line above a name": "—\nRachel Kim · Inside Sales · 480-555-0111",
    "name and parts apart by bars": "Sam Ortega | Sales | Buckeye Fence Co | 480-555-0100",
}


@pytest.mark.parametrize("signoff", SIGNOFFS.values(), ids=SIGNOFFS.keys())
def test_the_reps_signoff_below_a_lead_is_cut(signoff: str) -> None:
    assert without_reps_signoff(f"{LEAD}\n\n{signoff}") == LEAD


KEPT = {
    "the only contact is in the closing": ("Got this by mail:\nHi, we need a quote for office cleaning.\n\n"
                                           "Thanks,\nWendy Okonkwo\n212-555-0183"),
    "the prospect signs with the number given above": f"{LEAD}\n\nThanks,\nJo Park\n480-555-0117",
    "the name signed is the lead's": f"{LEAD}\n\n— Ayla Brooks, 480-555-0100",
    "an email below is a lead's block": f"{LEAD}\n\nLogged by: Dana Kim, dana.kim@mail.example",
    "the last item of a dashed list": "— Ayla Brooks, 480-555-0117\n— Obi Nwa, 480-555-0152",
    "a row of a list written with bars": "Ayla Brooks | turf | 480-555-0117\n\nObi Nwa | deck | 480-555-0152",
    "a sentence, not a sign-off": f"{LEAD}\n\nShe also asked about a sprinkler system, call 480-555-0100 first.",
}


@pytest.mark.parametrize("text", KEPT.values(), ids=KEPT.keys())
def test_a_closing_that_is_no_reps_signoff_stays(text: str) -> None:
    assert without_reps_signoff(text) == text


def test_the_reps_signature_under_a_quoted_prospect_is_no_lead(extractor: Extractor) -> None:
    text = ("new one from the website, pasted:\n> Hi, we need a roof inspection after the hail. Call me at "
            "303-555-0144. Thanks, Dana Whitlock\n\nMike Donnelly | Estimator | Summit Roofing | 303-555-0100\n")
    assert leads(extractor, text) == [("Dana Whitlock", "303-555-0144")]


def test_numbered_leads_keep_their_own_numbers_above_the_reps_signoff(extractor: Extractor) -> None:
    text = ("Two callbacks:\n1. Felix Warren, 402-555-0123, furnace tune-up\n2. Abdul Karim, 402-555-0191, "
            "thermostat\n\n— Priya, front desk, 402-555-0100")
    assert leads(extractor, text) == [("Felix Warren", "402-555-0123"), ("Abdul Karim", "402-555-0191")]


def test_a_heading_and_a_closing_line_frame_a_list_of_leads() -> None:
    blocks = ["Leads from the home show", "Celeste Ambrose, 919-555-0122. Sunroom.", "Rufus Delacroix, 919-555-0166.",
              "thanks all"]
    assert framed(blocks) == blocks[1:3]
    note = "Leads from the home show\n---\n" + "\n---\n".join(blocks[1:]) + "\n"
    assert len(split_chat(note)) == 2


def test_a_paragraph_about_the_lead_after_it_is_not_framing() -> None:
    blocks = ["Celeste Ambrose, 919-555-0122.", "Rufus Delacroix, 919-555-0166.", "Both want\na quote by Friday"]
    assert framed(blocks) == blocks


def test_a_copied_conversation_keeps_the_post_with_the_lead_only() -> None:
    thread = ("Janelle Ortiz 2:41 PM\nnew one: Curtis Blackwood, 865-555-0166, gutters\nRaymond Hu 2:44 PM\n"
              "I can take it\nJanelle Ortiz 2:45 PM\nthx")
    assert without_thread_chatter(thread) == "new one: Curtis Blackwood, 865-555-0166, gutters"


def test_one_time_stamped_line_is_no_conversation() -> None:
    note = "Curtis Blackwood 2:41 PM\ncall back at 865-555-0166"
    assert without_thread_chatter(note) == note


def test_a_forwarded_post_is_note_text_not_a_quote() -> None:
    slack = ("Forwarded message from <@U07QP44> in #leads:\n&gt; Met Desmond Achebe at the boat show, 757-555-0133\n"
             "anyone free?")
    assert normalise_chat(slack) == "Met Desmond Achebe at the boat show, 757-555-0133\nanyone free?"
    quoted = "> Hi, call me at 757-555-0133"
    assert unquote_forwarded(quoted) == quoted  # a quote with no forward above it is the prospect's


def test_a_digest_in_quoted_rows_is_a_list_of_leads(extractor: Extractor) -> None:
    digest = ("*New leads (2)*\n>*Nadia Petrova* · nadia.petrova@mail.example · 312-555-0114 · _Roof repair_\n"
              ">*Owen Clarke* · owen.clarke@mail.example · 312-555-0168 · _Siding_")
    assert leads(extractor, digest) == [("Nadia Petrova", "312-555-0114"), ("Owen Clarke", "312-555-0168")]
    assert all(lead.value("message") is None for lead in extractor.extract(RawMessage(digest.encode(), "slack")).leads)


def test_a_quoted_message_is_no_list_of_rows() -> None:
    text = "> Hi, I'm Ann Lee, call me at 312-555-0114\n> or email ann.lee@mail.example, thanks"
    assert normalise_chat(text) == text


def test_a_pasted_form_is_no_pasted_message(extractor: Extractor) -> None:
    note = ("pasted from the website form below\nFull name: Quentin Ames\nPhone: 617-555-0172\n"
            "Service: gutter cleaning\n\nrep note: he prefers texts\n")
    lead = extractor.extract(RawMessage(note.encode(), "slack")).leads[0]
    assert (lead.value("full_name"), lead.value("message")) == ("Quentin Ames", None)


def test_a_name_and_number_right_below_the_prospects_quote_is_the_rep(extractor: Extractor) -> None:
    text = ("from the site chat:\n> Hi, need a quote on gutter guards for a ranch. 303-555-0144. Dana Whitlock\n\n"
            "Mike Donnelly - Estimator - Summit Roofing - 303-555-0100\n")
    assert leads(extractor, text) == [("Dana Whitlock", "303-555-0144")]


def test_a_label_that_comes_again_opens_the_next_lead(extractor: Extractor) -> None:
    note = "*Name:* Jude Harper\n*Phone:* 615-555-0111\n*Name:* Kira Osei\n*Phone:* 615-555-0194"
    assert leads(extractor, note) == [("Jude Harper", "615-555-0111"), ("Kira Osei", "615-555-0194")]


def test_one_lead_with_two_phone_labels_stays_one() -> None:
    note = "Name: Jude Harper\nPhone: 615-555-0111\nPhone: 615-555-0112"
    assert split_chat(note) == [note]


def test_a_struck_number_is_taken_back(extractor: Extractor) -> None:
    note = "*Name:* Leona Birch\n*Phone:* ~617-555-0101~ 617-555-0156 (new cell)"
    assert leads(extractor, note) == [("Leona Birch", "617-555-0156")]
    assert normalise_chat("was ~cold~ *hot*") == "was cold hot"  # struck words keep their text


def test_a_pasted_body_that_names_no_one_and_its_signature_are_one_lead(extractor: Extractor) -> None:
    note = ("pasted below:\nHi, I am interested in a solar consult. Call 303-555-0139.\n\n"
            "Francesca Ortiz\nSenior Engineer, Bluepine Labs\n303-555-0188\n")
    assert leads(extractor, note) == [("Francesca Ortiz", "303-555-0139")]


def test_a_signature_block_below_the_prospects_quote_is_the_rep(extractor: Extractor) -> None:
    text = ("> Hello, the dishwasher leaks again, please send someone. 503-555-0131, Vera Holm\n"
            "can someone call her today?\n\nNoah Price\nService Desk\nRiverside Appliance\n503-555-0100\n"
            "noah@riverside.example\n")
    assert leads(extractor, text) == [("Vera Holm", "503-555-0131")]


def test_a_second_phone_label_after_the_email_is_the_same_lead() -> None:
    note = "Phone: 615-555-0111\nEmail: jude.harper@mail.example\nPhone: 615-555-0112 (work)"
    assert split_chat(note) == [note]
