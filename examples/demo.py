"""The main job, end to end, against a local Prism mock of openapi.yaml.

validate -> start_task -> get_task -> delete_task, as in the Node SDK's getTask example.
Run it with ``make demo``; against the real service, drop the mock and set
APARAVI_API_KEY instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from prism import running_prism  # noqa: E402

from aparavi_dtc import AparaviDTC, AparaviError  # noqa: E402

PIPELINE = ROOT / "examples" / "pipeline.json"


def main() -> int:
    print("Starting a Prism mock of openapi.yaml ...", flush=True)
    with running_prism() as url, AparaviDTC("demo-api-key", base_url=url) as client:
        print(f"Mock listening on {url}")
        try:
            client.validate(PIPELINE)
            print("Pipeline is valid")
            task = client.start_task(PIPELINE, name="demo", threads=2)
            print(f"Task started: {task!r}")  # the token is masked
            status = client.get_task()
            print(f"Task status: {status.data.status}")
            if status.data.progress:
                print(f"Progress: {status.data.progress}%")
            client.delete_task()
            print("Task deleted")
        except AparaviError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 1
    print("Mock stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
