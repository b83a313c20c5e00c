"""Generated models behave as plain Python: a model that is only a map is a Mapping of its
values, every model reads a field by its wire name, and a map field is never ``UNSET``.

The map models are found from their fields, not from what they inherit, so that a model
the spec adds later is held to the same rules.
"""

from __future__ import annotations

import copy
import json
import pickle
import typing
from collections.abc import Mapping, MutableMapping
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aparavi_dtc_api.models as models
from aparavi_dtc import AparaviDTC, pipelines
from aparavi_dtc.testing import FakeAparavi
from aparavi_dtc_api.types import UNSET

from .schema_strategies import component, spec

SECRET = "tok-0123456789abcdef0123"

ALL_MODELS = sorted(name for name in models.__all__ if attrs.has(getattr(models, name)))
#: Models with no named field: a map of additional properties and nothing else.
MAP_MODELS = [
    name
    for name in ALL_MODELS
    if {f.name for f in attrs.fields(getattr(models, name))}
    <= {"additional_properties", "_absent"}
]
SCHEMAS = sorted(
    name
    for name in spec()["components"]["schemas"]
    if name in ALL_MODELS and name != "WebhookFiles"  # sent only: its values are files
)


def test_the_map_models_are_found() -> None:
    assert {"WebhookResultObjects", "ProcessedObjectMetadata", "TaskStatusMetrics"} <= set(
        MAP_MODELS
    )
    assert "TaskStatus" not in MAP_MODELS


def _value_type(cls: type) -> Any:
    hint = typing.get_type_hints(cls, localns={n: getattr(models, n) for n in models.__all__})[
        "additional_properties"
    ]
    return typing.get_args(hint)[1]


def _sample(cls: type) -> dict[str, Any]:
    """Three entries as the server would send them, one under a secret's name."""
    if _value_type(cls) is Any:
        return {"b": 2, "a": [1, "x"], "token": SECRET}
    return {
        "id-2": {"name": "two.txt", "text": ["two"]},
        "id-1": {"name": "one.txt", "text": ["one"]},
        "token": {"name": "t.txt", "token": SECRET},
    }


def _json(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


@pytest.mark.parametrize("name", MAP_MODELS)
def test_a_map_model_is_a_mapping_of_its_values(name: str) -> None:
    cls = getattr(models, name)
    raw = _sample(cls)
    made = cls.from_dict(raw)
    assert isinstance(made, MutableMapping)
    assert list(made) == list(raw)  # iteration over keys, in the server's order
    assert [k for k in made] == list(raw)
    assert len(made) == 3
    assert list(made.keys()) == list(raw)
    assert [_json(v) for v in made.values()] == list(raw.values())
    assert [(k, _json(v)) for k, v in made.items()] == list(raw.items())
    assert "a" in made or "id-1" in made
    assert "missing" not in made
    assert 0 not in made
    assert made.get("missing") is None
    assert made.get("missing", 7) == 7
    first = next(iter(raw))
    assert _json(made.get(first)) == raw[first] == _json(made[first])
    with pytest.raises(KeyError):
        made["missing"]
    as_dict = {k: made[k] for k in raw}
    assert made == as_dict
    assert as_dict == made
    assert made == cls.from_dict(raw)
    assert made != {**as_dict, "other": as_dict[first]}
    assert made != cls.from_dict({})
    assert cls.from_dict({}) == {}
    assert made.to_dict() == raw


@pytest.mark.parametrize("name", MAP_MODELS)
def test_a_map_models_repr_shows_its_entries_with_secrets_masked(name: str) -> None:
    made = getattr(models, name).from_dict(_sample(getattr(models, name)))
    shown = repr(made)
    assert shown.startswith(f"{name}({{")
    assert shown.endswith("})")
    assert SECRET not in shown
    assert "***0123" in shown
    assert "'b': 2" in shown or "'id-2': ProcessedObject(name='two.txt'" in shown
    assert str(made) == shown


@pytest.mark.parametrize("name", MAP_MODELS)
def test_a_map_model_changes_like_a_dict(name: str) -> None:
    cls = getattr(models, name)
    made = cls.from_dict(_sample(cls))
    value = made["token"]
    del made["token"]
    assert "token" not in made
    assert len(made) == 2
    made["new"] = value
    assert list(made)[-1] == "new"
    assert made.pop("new") is value
    made.update({"again": value})
    assert made.to_dict()["again"] == _json(value)


def test_a_webhook_results_objects_iterate_as_processed_objects() -> None:
    result = models.WebhookResult.from_dict(
        {"objects": {"u1": {"name": "a.txt", "text": ["alpha"]}, "u2": {"name": "b.txt"}}}
    )
    names = {object_id: obj.name for object_id, obj in result.objects.items()}
    assert names == {"u1": "a.txt", "u2": "b.txt"}
    assert all(isinstance(obj, models.ProcessedObject) for obj in result.objects.values())
    assert sorted(result.objects) == ["u1", "u2"]
    assert len(result.objects) == 2


def test_a_map_field_the_server_left_out_reads_as_an_empty_map_and_stays_out() -> None:
    result = models.WebhookResult.from_dict({"objectsRequested": 1})
    assert result.objects == {}
    assert len(result.objects) == 0
    assert list(result.objects) == []
    assert result.objects is not UNSET
    assert "objects" not in result
    assert result.get("objects") is None
    assert result.to_dict() == {"objectsRequested": 1}  # round trips as it came
    assert repr(result) == "WebhookResult(objects_requested=1)"
    sent_empty = models.WebhookResult.from_dict({"objects": {}})
    assert sent_empty.to_dict() == {"objects": {}}  # an empty map that was sent stays
    assert "objects" in sent_empty
    assert sent_empty == models.WebhookResult.from_dict({})  # the same content
    result.objects["u1"] = models.ProcessedObject(name="a")
    assert result.to_dict() == {"objectsRequested": 1, "objects": {"u1": {"name": "a"}}}
    assert models.WebhookResult().objects == {}


def test_every_optional_map_field_reads_as_a_map() -> None:
    # Every field typed as one of the map models, on every model: never UNSET.
    found = []
    for name in ALL_MODELS:
        cls = getattr(models, name)
        hints = typing.get_type_hints(cls, localns={n: getattr(models, n) for n in models.__all__})
        made = cls.from_dict({}) if not _has_required(cls) else None
        for field in attrs.fields(cls):
            hint = hints[field.name]
            if isinstance(hint, type) and hint.__name__ in MAP_MODELS and made is not None:
                found.append(f"{name}.{field.name}")
                assert isinstance(getattr(made, field.name), Mapping)
                assert made.to_dict() == {}
    assert {"WebhookResult.objects", "WebhookResult.types", "ProcessedObject.metadata"} <= set(
        found
    )


def _has_required(cls: type) -> bool:
    return any(f.init and f.default is attrs.NOTHING for f in attrs.fields(cls))


# -- models with named fields: read by the name on the wire, and get() -------------------


@pytest.mark.parametrize("name", SCHEMAS)
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_every_field_reads_by_its_wire_name(name: str, data: st.DataObject) -> None:
    body = data.draw(component(name))
    model = getattr(models, name).from_dict(body)
    for key, value in body.items():
        assert key in model
        assert _json(model[key]) == value
        assert _json(model.get(key)) == value
    assert "no such field" not in model
    assert model.get("no such field") is None
    assert model.get("no such field", 0) == 0


@pytest.mark.parametrize("name", [n for n in ALL_MODELS if n not in MAP_MODELS])
def test_a_model_of_named_fields_is_no_mapping_and_says_so(name: str) -> None:
    cls = getattr(models, name)
    assert not isinstance(cls.__new__(cls), Mapping)
    with pytest.raises(TypeError, match="not iterable"):
        iter(cls.__new__(cls))  # not KeyError: 0 from the old iteration protocol


def test_unset_shows_as_unset() -> None:
    assert repr(UNSET) == str(UNSET) == "UNSET"
    assert repr(models.VersionInfo(version=UNSET)) == "VersionInfo()"


def test_a_renamed_field_reads_by_its_spec_name() -> None:
    version = models.VersionInfo.from_dict({"version": "3.0", "hash": "abc", "extra": 1})
    assert version["hash"] == version.get("hash") == version.hash_ == "abc"
    assert "hash" in version
    assert "hash_" not in version
    assert version.get("extra") == 1
    assert version["extra"] == 1
    status = models.TaskStatus.from_dict({"status": "Running", "totalCount": 4})
    assert status["totalCount"] == status.total_count == 4
    assert status.get("completedCount") is None
    status["totalCount"] = 5  # kept as the server would send it; the typed one is absent
    assert status["totalCount"] == 5
    assert status.total_count is UNSET
    assert status.to_dict()["totalCount"] == 5
    del status["totalCount"]
    assert status.total_count is UNSET
    assert "totalCount" not in status
    with pytest.raises(KeyError):
        del status["totalCount"]


def test_writing_by_wire_name_keeps_to_dict_whole_and_map_fields_maps() -> None:
    status = models.TaskStatus.from_dict({"status": "Running", "metrics": {"cpu": 1}})
    del status["metrics"]
    assert status.metrics == {}  # a map field reads as a map still, not UNSET
    assert status.to_dict() == {"status": "Running"}
    status["metrics"] = {"cpu": 2}  # a plain dict, kept raw
    assert status["metrics"] == {"cpu": 2}
    assert status.metrics == {}
    assert status.to_dict() == {"status": "Running", "metrics": {"cpu": 2}}
    status["metrics"] = None
    assert json.dumps(status.to_dict()) == '{"metrics": null, "status": "Running"}'


def test_a_map_with_a_key_that_is_no_string_still_shows() -> None:
    metadata = models.ProcessedObjectMetadata()
    metadata[1] = "x"
    assert repr(metadata) == "ProcessedObjectMetadata({1: 'x'})"
    assert repr(models.ProcessedObject(metadata=metadata)).startswith("ProcessedObject(")


@pytest.mark.parametrize("clone", [copy.deepcopy, lambda m: pickle.loads(pickle.dumps(m))])
def test_a_copied_model_keeps_unset_unset(clone: Any) -> None:
    version = models.VersionInfo.from_dict({"version": "1"})
    again = clone(version)
    assert again.hash_ is UNSET
    assert again == version
    assert "hash" not in again
    assert again.to_dict() == {"version": "1"}
    assert repr(again) == "VersionInfo(version='1')"


def test_what_run_returns_iterates_as_python() -> None:
    fake = FakeAparavi(api_key="test-key-0123456789")
    with AparaviDTC("test-key-0123456789", transport=fake.transport()) as client:
        result = client.run(pipelines.simple_parser(), [("a.txt", b"alpha"), ("b.txt", b"beta")])
        with client.create_pipe(pipelines.simple_parser()) as pipe:
            answer = pipe.process([("c.txt", b"gamma")])
    assert result.results is not None
    objects = result.results.objects
    assert sorted(obj.name for obj in objects.values()) == ["a.txt", "b.txt"]
    assert len(objects) == 2
    assert all(isinstance(key, str) for key in objects)
    assert [obj.text for obj in answer.objects.values()] == [["gamma"]]
    assert {k: v.to_dict() for k, v in answer.objects.items()} == answer.objects.to_dict()
