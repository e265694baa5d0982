"""What is next in a case, for every open child, in time order (flows.case.next_items).

Random walks (with clock jumps) through the protocol: at every point each open child has
something next, the list is in time order with what can be done now first, a moment
that has passed is never listed as coming, and the way on opens a due item of the child
it names.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from flows import events, protocol
from flows.case import Next, Stage, child_items, child_stage, first_due, next_items
from tests.support.plain_case import Case
from tests.unit.test_protocol import NOW, _fitting_event, _forward_event, at, handle

_STEPS = st.lists(
    st.tuples(st.sampled_from(["forward", "forward", "fit", "wait"]), st.integers(0, 400)),
    min_size=20,
    max_size=60,
)


@settings(max_examples=120, deadline=None)
@given(_STEPS, st.data())
def test_every_open_child_has_a_next_item_in_time_order(
    steps: list[tuple[str, int]], data: st.DataObject
) -> None:
    case = Case()
    now = NOW
    for kind, number in steps:
        if kind == "wait":
            now += timedelta(hours=number)
        else:
            found = (
                _forward_event(case, data, now)
                if kind == "forward"
                else _fitting_event(case, number, data, now)
            )
            if found is None:
                now += timedelta(days=8)
                continue
            handle(case, found, at(now))

        items = next_items(case, now)
        if case.closed_at is not None:
            assert items == []
            continue
        # Every child has something next; a follow-up whose moment came is one to record.
        for child in case.children:
            mine = child_items(case, child, now)
            assert mine, child
            due = child_stage(case, child, now) is Stage.DUE
            assert any(i.what is Next.RECORD_FOLLOW_UP for i in mine) == due
        # In time order: what can be done now first, then what is coming, soonest first.
        coming = [i for i in items if not i.due(now)]
        assert items[len(items) - len(coming) :] == coming
        moments = [i.at for i in coming]
        assert moments == sorted(m for m in moments if m is not None)
        # A moment that passed is never coming: it is due.
        assert all(i.at is None or i.at > now for i in coming)
        # The way on opens what is due for the child it names, never another child's.
        way_on = first_due(case, now)
        assert (way_on is None) == (not any(i.due(now) for i in items))
        if way_on is not None:
            press = events.ContinueWith(way_on.child_id)
            assert protocol.allowed(case, press, now)
            reply = protocol.handle(case, press, at(now))
            assert reply.accepted
            assert all(s.child is None or s.child.id == way_on.child_id for s in reply.shown)
