"""The Slack side of Leadbot: Block Kit cards, notes and views, the Bolt app and its listeners.

``safe`` is the one escaping rule for every outside value put into Slack text; ``blocks``, ``views``,
``commands`` and ``notes`` render (pure, through ``safe``); ``roles`` says who may act and who may read;
``poster`` talks to Slack or the console for the outbox worker (``bot.workers.outbox``); ``app`` builds the
Bolt app from ``listeners``, ``runner`` serves it over HTTP or Socket Mode; ``standin`` is the Slack Web API
stand-in for the demo and the tests.
"""
