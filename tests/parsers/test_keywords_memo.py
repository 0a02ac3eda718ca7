"""``parsers.keywords`` remembers the last text it looked at (lower-cased, and whether it holds a letter that folds
to ASCII): the answers must be those of a fresh look whatever was asked before."""

from __future__ import annotations

from parsers.keywords import lowered, may_match


def test_a_text_lowered_first_still_skips_the_look_for_a_folding_letter() -> None:
    text = "DIYARBAKIR İNŞAAT, call back"  # "İ": IGNORECASE may match what lower() does not spell
    assert lowered(text) == text.lower()
    assert may_match(text, ("inşaat",))
    assert may_match(text, ("nothing here",))  # the look is skipped: the pattern decides


def test_each_text_is_answered_by_its_own_words() -> None:
    first, second = "Rückruf bitte morgen", "Please call me back"
    for _ in range(2):
        assert may_match(first, ("rückruf",)) and not may_match(first, ("call me",))
        assert may_match(second, ("call me",)) and not may_match(second, ("rückruf",))
        assert lowered(first) == "rückruf bitte morgen" and lowered(second) == "please call me back"


def test_three_texts_in_turn_keep_their_own_answers() -> None:
    # two are remembered: a third pushes the older out, and a folding letter travels with its own text
    texts = ["Ofrecemos İNŞAAT hizmeti", "order number follows", "Bitte um Rückruf"]
    for _ in range(3):
        for text in texts:
            assert lowered(text) == text.lower()
        assert may_match(texts[0], ("absent",))  # "İ" in it: the look is skipped
        assert not may_match(texts[1], ("absent",)) and may_match(texts[1], ("order",))
        assert not may_match(texts[2], ("order",)) and may_match(texts[2], ("rückruf",))
        assert not may_match(texts[1], ("rückruf",))
