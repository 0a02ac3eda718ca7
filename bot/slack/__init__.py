"""The Slack side of Leadbot: Block Kit cards, the card outbox worker, the Bolt app and its listeners.

``blocks`` renders (pure), ``poster`` talks to Slack or the console, ``outbox`` delivers queued card
posts and updates in order, ``app`` builds the Bolt app from ``listeners``, ``runner`` serves it over
HTTP or Socket Mode.
"""
