"""Requests (``_operations``): the request built for text, one file and several files."""

from __future__ import annotations

from aparavi_dtc._operations import pipe_request, webhook_request


def test_a_text_request_is_utf8_text() -> None:
    kwargs = webhook_request("tok", "cpu", [], "héllo")
    assert kwargs["method"] == "put"
    assert kwargs["url"] == "/webhook"
    assert kwargs["params"] == {"token": "tok", "type": "cpu"}
    assert kwargs["content"] == "héllo".encode()
    assert kwargs["headers"]["Content-Type"] == "text/plain; charset=utf-8"


def test_one_file_goes_as_the_raw_body() -> None:
    kwargs = webhook_request("tok", "gpu", [("r.pdf", b"%PDF", "application/pdf")], None)
    assert kwargs["params"] == {"token": "tok", "type": "gpu"}
    assert kwargs["content"] == b"%PDF"
    assert kwargs["headers"]["Content-Type"] == "application/pdf"
    assert kwargs["headers"]["Content-Disposition"] == 'attachment; filename="r.pdf"'
    assert "files" not in kwargs


def test_several_files_go_as_parts_named_files() -> None:
    loaded = [("a.txt", b"alpha", "text/plain"), ("b.csv", b"x,y", "text/csv")]
    for kwargs in (webhook_request("tok", "cpu", loaded, None), pipe_request("tok", loaded)):
        parts = kwargs["files"]
        assert [(name, part[0], part[1].read(), part[2]) for name, part in parts] == [
            ("files", "a.txt", b"alpha", "text/plain"),
            ("files", "b.csv", b"x,y", "text/csv"),
        ]
        assert kwargs["params"]["token"] == "tok"
    assert pipe_request("tok", loaded)["url"] == "/pipe/process"
