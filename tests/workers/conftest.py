from tests.fakes.fixtures import slack_api, slack_client

__all__ = ["slack_api", "slack_client"]
