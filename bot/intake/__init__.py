"""The intake of updates: stored first, acknowledged second, handled exactly once.

Telegram forgets an update once it is acknowledged: in polling by the next
``getUpdates`` offset, in webhook mode by the ``200``. python-telegram-bot's own
Updater acknowledges an update as soon as it is in the process's memory, so a
process killed before handling it loses what the leader sent. Here the update is
first stored in the ``inbox`` table (``bot.storage.inbox``), and only then
acknowledged; it is handled from the inbox and marked done in the transaction of
its effects (``bot.turn``), so a restart neither loses nor repeats it.

* :mod:`bot.intake.polling` is our own loop over the public ``Bot.get_updates``
  (``offset``, ``timeout``, ``allowed_updates``): the Updater has no hook between
  "fetched" and "acknowledged", and its offset is private.
* ``bot.webhook`` stores the posted update before answering ``200``.
* :mod:`bot.intake.dispatcher` takes the updates from the inbox and hands each to
  the public ``Application.process_update``.

Why not a custom ``BaseUpdateProcessor``? It receives updates from the
Application's in-memory queue, after they were taken in: it cannot make the intake
durable, it does not see the updates other processes stored, and its concurrency
bound is a semaphore taken *before* ``do_process_update`` runs, so a leader with
many queued updates would hold every slot while their updates wait for each other.
The dispatcher orders by leader first and bounds the work second: one task per
leader with updates waiting, each leader's updates strictly in ``update_id``
order, at most ``concurrency`` leaders being handled at once.

Several processes on one PostgreSQL database (webhooks behind a load balancer)
each store what they receive; a process handles a leader's updates only while it
holds that leader's claim (a PostgreSQL advisory lock, ``LeaderClaims``), so one
leader is never handled by two processes at once, and whoever holds the claim
handles the leader's updates whichever process stored them. A process that dies
loses its claims with its connection; the others sweep the inbox every second and
take over its leaders' waiting updates.

The console (``python -m bot console``) hands updates straight to the Application,
without the inbox: it has nothing to acknowledge to, and the person typing sees at
once whether an answer came.
"""
