"""Test helpers for code built on aparavi-dtc: a stateful fake of the service.

>>> from aparavi_dtc import AparaviDTC, pipelines
>>> from aparavi_dtc.testing import FakeAparavi
>>> fake = FakeAparavi(api_key="key-for-tests-0000")
>>> with AparaviDTC("key-for-tests-0000", transport=fake.transport()) as client:
...     client.run(pipelines.simple_parser(), [("a.txt", b"hello")]).texts
{'a.txt': 'hello'}

``import aparavi_dtc`` never loads this module.
"""

from ._fake import FakeAparavi, Received

__all__ = ["FakeAparavi", "Received"]
