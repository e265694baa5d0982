"""The effects of the protocol's events, by the part of the protocol they belong to.

Each is named in :data:`flows.protocol.TRANSITIONS`, which says where its event is
allowed; an effect changes the case's records and answers what to show next and the
lines it adds to the case's history.
"""
