"""A notification service's own address is never a prospect's, however it is prefixed."""

import pytest

from parsers.structured import is_automated


@pytest.mark.parametrize("address", [
    "noreply@portal.example", "messages-noreply@network.example", "jobs.noreply@board.example",
    "invitations-no-reply@network.example", "alerts+leads@crm.example", "bounce-123@mailer.example",
])
def test_notification_addresses_are_automated(address: str) -> None:
    assert is_automated(address)


@pytest.mark.parametrize("address", [
    "replyguy@example.com", "anna.reply@example.com", "notreply@example.com", "rebecca.stone@halvorsen.example",
])
def test_people_are_not(address: str) -> None:
    assert not is_automated(address)
