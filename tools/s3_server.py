"""moto's S3 server on a free loopback port, for the tests and ``make bench``: a real S3
API that nothing but loopback reaches."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

KEY = "testing"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def storage_options(endpoint: str) -> dict[str, Any]:
    """What fsspec (s3fs) needs to reach the server: its endpoint and the test keys."""
    return {
        "key": KEY,
        "secret": KEY,
        "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"},
        "skip_instance_cache": True,
    }


@contextlib.contextmanager
def serving_s3(bucket: str, *, own_process: bool = False) -> Iterator[str]:
    """Serve S3 on 127.0.0.1 with ``bucket`` made; yield the endpoint URL.

    ``own_process``: in a process of its own, so that its work does not compete with the
    code measured for the interpreter lock (``make bench``); else in a thread.
    """
    import boto3

    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"  # never ask a metadata service
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    stop: Any
    if own_process:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stop = process.terminate
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
    else:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        stop = server.stop
    try:
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=KEY,
            aws_secret_access_key=KEY,
            region_name="us-east-1",
        ).create_bucket(Bucket=bucket)
        yield endpoint
    finally:
        stop()
