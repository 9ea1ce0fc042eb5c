"""The garbage collector is held off while documents are made, and comes back as it was."""

from __future__ import annotations

import gc
import threading

from generator.versions.collector import collection_paused


def test_collection_is_paused_inside_and_restored_after_the_last_one_leaves():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failure_inside_still_restores_collection():
    try:
        with collection_paused():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()


def test_collection_disabled_before_stays_disabled():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_threads_enable_it_once_all_are_done():
    inside, release = threading.Event(), threading.Event()

    def render():
        with collection_paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=render)
    worker.start()
    inside.wait(5)
    with collection_paused():
        pass
    assert not gc.isenabled()  # the other rendering is still going on
    release.set()
    worker.join(5)
    assert gc.isenabled()
