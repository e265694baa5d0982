"""What the leader sees: each function queues one screen on a :class:`~bot.turn.Turn`.

A screen is text plus buttons. It decides nothing about the case: handlers
change the rows, then call a screen. A screen that waits for a typed answer
points the leader at the case and child it belongs to and returns the
conversation state that says so.
"""
