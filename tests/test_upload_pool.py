"""The sync batch's pool of uploads (``_upload_pool.UploadPool``): a thread for each upload
in flight and no more, reused once idle, daemons all; an upload that fails still ends; and
after ``stop()`` nothing more is sent."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from aparavi_dtc._upload_pool import UploadPool


class Uploads:
    """An upload function whose calls wait until released, and what each ran on."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.threads: dict[str, threading.Thread] = {}
        self.started: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, upload: Any) -> Any:
        with self.lock:
            self.started.append(upload)
            self.threads[upload] = threading.current_thread()
        if upload.startswith("fail"):
            raise RuntimeError("the upload's own error")
        self.release.wait(10)
        return f"sent {upload}"

    def running(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while len(self.started) < count:
            assert time.monotonic() < deadline, f"{self.started} of {count} started"
            time.sleep(0.005)


def test_each_upload_in_flight_has_a_daemon_thread_of_its_own() -> None:
    uploads = Uploads()
    pool = UploadPool(uploads, 3)
    for name in ("a", "b", "c"):
        assert pool.has_room()
        pool.start(name)
    assert not pool.has_room()
    uploads.running(3)
    threads = set(uploads.threads.values())
    assert len(threads) == 3
    assert all(thread.daemon for thread in threads)
    assert sorted(thread.name for thread in threads) == [
        "aparavi-dtc-upload-1",
        "aparavi-dtc-upload-2",
        "aparavi-dtc-upload-3",
    ]
    uploads.release.set()
    ended: list[Any] = []
    while pool.busy():
        ended += pool.ended(10)
    assert sorted(ended) == ["sent a", "sent b", "sent c"]
    pool.close()
    for thread in threads:
        thread.join(10)
        assert not thread.is_alive()  # close() ends every thread


def test_an_idle_thread_sends_the_next_upload() -> None:
    uploads = Uploads()
    uploads.release.set()
    pool = UploadPool(uploads, 4)
    for name in ("a", "b", "c"):
        pool.start(name)
        assert pool.ended(10) == [f"sent {name}"]
    assert len(set(uploads.threads.values())) == 1
    pool.close()


def test_an_upload_that_raises_still_ends_and_its_thread_goes_on() -> None:
    uploads = Uploads()
    uploads.release.set()
    pool = UploadPool(uploads, 2)
    pool.start("fail-1")
    assert pool.ended(10) == [None]
    assert not pool.busy()
    pool.start("b")
    assert pool.ended(10) == ["sent b"]
    assert uploads.threads["b"] is uploads.threads["fail-1"]
    pool.close()


def test_nothing_is_sent_once_stopped_and_stopping_twice_is_harmless() -> None:
    uploads = Uploads()
    pool = UploadPool(uploads, 1)
    pool.start("a")
    uploads.running(1)
    pool.stop()
    pool.start("late")  # queued after the stop: dropped, never sent
    time.sleep(0.2)
    uploads.release.set()
    time.sleep(0.2)
    assert uploads.started == ["a"]
    pool.settle()
    pool.close()  # after stop(): no error
    assert pool.ended(0) in ([], ["sent a"])


@pytest.mark.parametrize("concurrency", [1, 2])
def test_ended_waits_at_most_its_timeout(concurrency: int) -> None:
    uploads = Uploads()
    pool = UploadPool(uploads, concurrency)
    pool.start("a")
    started = time.monotonic()
    assert pool.ended(0.1) == []
    assert 0.05 < time.monotonic() - started < 5
    assert pool.busy()
    uploads.release.set()
    assert pool.ended(10) == ["sent a"]
    pool.close()
