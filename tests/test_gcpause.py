"""``gc_paused``: the collector is off inside, back on after the last of overlapping pauses, never turned on when
it was off before."""

from __future__ import annotations

import gc

from netwerk.gcpause import gc_paused


def test_overlapping_pauses_resume_after_the_last_and_keep_an_off_collector_off() -> None:
    assert gc.isenabled()
    first, second = gc_paused(), gc_paused()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second is still running
    second.__exit__(None, None, None)
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # the caller had it off
    finally:
        gc.enable()
