"""Dispatch: claim due outbox rows, send them outside any transaction, record what happened.

A claim is a lease: rows move to `sending` until `lease_until`, renewed while the dispatcher
works on them (a heartbeat); a dispatcher that dies leaves them to be taken again once the lease
runs out. A claimed SMS is retried until it is proven sent or proven impossible (DOMAIN §6):

- sent, or refused for good (21211, 21610...): recorded; for a refusal a person is told.
- 429, no connection: nothing was created; tried again with capped exponential back-off.
- no clear answer (5xx, a timeout, a dispatcher that died holding it): never sent blindly. It is
  marked `ambiguous` and, once `DISPATCH_SETTLE_SECONDS` have passed since the attempt, looked
  up in Twilio's message list. Found: its sid is recorded. Not found: proof that nothing was
  created, so it is sent again (the same row, the attempt counted). The list itself failing
  proves nothing: the look-up is tried again with back-off, and only after
  `DISPATCH_LOOKUP_GIVE_UP_HOURS` does the message become `unknown`, with an alert that says
  what a person should check.

On a graceful stop (`stopping()`), no row is claimed any more, rows not yet started are handed
back at once, and `release_held()` hands back whatever is still held when the grace runs out.

batch.py runs a pass; lease.py claims and holds rows; send.py sends one; lookup.py settles
an unclear attempt by Twilio's message list.
"""
