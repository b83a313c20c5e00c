"""The main job, end to end, against the SDK's own fake of the service: no Node needed.

validate -> run a predefined pipeline over the documents in examples/documents -> print
each file's text -> the task is deleted. The fake (``aparavi_dtc.testing.FakeAparavi``)
answers over loopback HTTP as the deployed service does: the webhook task stays Running and
the upload's answer carries each document's text. Run it with ``make demo``; against the
real service, drop the fake and set APARAVI_API_KEY instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from aparavi_dtc import AparaviDTC, AparaviError, pipelines
from aparavi_dtc.testing import FakeAparavi

DOCUMENTS = Path(__file__).resolve().parent / "documents"
KEY = "demo-api-key-0123456789"


def main() -> int:
    fake = FakeAparavi(api_key=KEY)
    files = sorted(DOCUMENTS.iterdir())
    with fake.serve() as url, AparaviDTC(KEY, base_url=url) as client:
        print(f"Fake Aparavi service on {url}")
        pipeline = pipelines.simple_parser()
        try:
            client.validate(pipeline)
            print("Pipeline is valid: simple-parser")
            result = client.run(
                pipeline,
                files,
                poll_interval=0.1,
                on_progress=lambda progress: print(f"Task status: {progress.status}"),
            )
        except AparaviError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 1
        for name, text in result.texts.items():
            print(f"--- {name}")
            print(text.rstrip())
        print("Task deleted" if not fake.tasks else f"Task left running: {fake.tasks}")
    print("Fake stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
