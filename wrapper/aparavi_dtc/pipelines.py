"""Ready-made pipelines: the ones Aparavi's own SDKs and integrations ship.

Each function returns a fresh dict, so changing one never changes the next; pass it
wherever the SDK takes a pipeline (``start_task``, ``validate``, ``run``, ``create_pipe``)::

    from aparavi_dtc import AparaviDTC, pipelines

    with AparaviDTC() as client:
        result = client.run(pipelines.simple_parser(), ["report.pdf"])
        print(result.texts)

Every pipeline is fed through a webhook (``source: "webhook_1"``) and answers its results
in the upload's answer. Each carries ``project_id: "default"``, which the service has
required ("Missing expected pipeline node attributes 'project_id'" otherwise).

The command line names them (``aparavi-dtc run --pipeline simple-parser ...``): see
:func:`names`, :func:`get` and :func:`summary`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "DEFAULT_PROJECT_ID",
    "advanced_parser",
    "audio_summary",
    "audio_transcription",
    "get",
    "names",
    "simple_ocr",
    "simple_parser",
    "summary",
]

#: The project the predefined pipelines belong to, as Aparavi's Node SDK sets it.
DEFAULT_PROJECT_ID = "default"

Pipeline = dict[str, Any]
_SOURCE = "webhook_1"


def _link(lane: str, source: str) -> dict[str, str]:
    return {"lane": lane, "from": source}


def _webhook() -> dict[str, Any]:
    return {
        "id": _SOURCE,
        "provider": "webhook",
        "config": {"mode": "Source", "type": "webhook", "hideForm": True},
    }


def _parse() -> dict[str, Any]:
    return {"id": "parse_1", "provider": "parse", "config": {}, "input": [_link("tags", _SOURCE)]}


def _transcriber(component_id: str, lane: str) -> dict[str, Any]:
    """Speech to text for one lane (``audio`` or ``video``), from the parser and the upload."""
    return {
        "id": component_id,
        "provider": "audio_transcribe",
        "config": {"profile": "default"},
        "input": [_link(lane, "parse_1"), _link(lane, _SOURCE)],
    }


def _response(*links: dict[str, str]) -> dict[str, Any]:
    return {
        "id": "response_1",
        "provider": "response",
        "config": {"lanes": []},
        "input": list(links),
    }


def _pipeline(*components: dict[str, Any], project_id: str) -> Pipeline:
    if not isinstance(project_id, str) or not project_id.strip():
        raise ValueError(f"project_id must be a non-empty string, not {project_id!r}")
    return {"source": _SOURCE, "project_id": project_id, "components": list(components)}


def simple_parser(*, project_id: str = DEFAULT_PROJECT_ID) -> Pipeline:
    """Extract the text, tables and images of documents (webhook → parse → response)."""
    return _pipeline(
        _webhook(),
        _parse(),
        _response(_link("table", "parse_1"), _link("text", "parse_1"), _link("image", "parse_1")),
        project_id=project_id,
    )


def advanced_parser(
    *, lvm_model: str = "anthropic-sonnet-4.0", project_id: str = DEFAULT_PROJECT_ID
) -> Pipeline:
    """Parse documents page by page with a vision model into markdown (LlamaParse)."""
    if not isinstance(lvm_model, str) or not lvm_model.strip():
        raise ValueError(f"lvm_model must be a non-empty string, not {lvm_model!r}")
    config = {
        "default": {
            "lvm_model": lvm_model,
            "parse_mode": "parse_page_with_lvm",
            "result_type": "markdown",
        }
    }
    return _pipeline(
        _webhook(),
        {
            "id": "llamaparse_1",
            "provider": "llamaparse",
            "config": config,
            "input": [_link("tags", _SOURCE)],
        },
        _response(_link("table", "llamaparse_1"), _link("text", "llamaparse_1")),
        project_id=project_id,
    )


def simple_ocr(*, language: str = "en", project_id: str = DEFAULT_PROJECT_ID) -> Pipeline:
    """Read the text in images with OCR (docTR)."""
    if not isinstance(language, str) or not language.strip():
        raise ValueError(f"language must be a non-empty string, not {language!r}")
    config = {
        "default": {
            "doctr": {
                "det_arch": "db_resnet50",
                "reco_arch": "crnn_vgg16_bn",
                "language": language,
                "table": "Doctr",
            }
        }
    }
    return _pipeline(
        _webhook(),
        {"id": "ocr_1", "provider": "ocr", "config": config, "input": [_link("image", _SOURCE)]},
        _response(_link("text", "ocr_1")),
        project_id=project_id,
    )


def audio_transcription(*, project_id: str = DEFAULT_PROJECT_ID) -> Pipeline:
    """Transcribe the speech in audio files."""
    return _pipeline(
        _webhook(),
        _parse(),
        _transcriber("audio_transcribe_1", "audio"),
        _response(_link("text", "audio_transcribe_1")),
        project_id=project_id,
    )


def audio_summary(*, project_id: str = DEFAULT_PROJECT_ID) -> Pipeline:
    """Transcribe the audio and video of recordings, then summarise everything with an LLM."""
    return _pipeline(
        _webhook(),
        _parse(),
        _transcriber("audio_transcribe_1", "audio"),
        _transcriber("audio_transcribe_2", "video"),
        {"id": "llm_gemini_1", "provider": "llm_gemini", "config": {"profile": "gemini-1_5-pro"}},
        {
            "id": "summarization_1",
            "provider": "summarization",
            "config": {"profile": "default"},
            "input": [
                _link("text", "parse_1"),
                _link("text", _SOURCE),
                _link("text", "audio_transcribe_1"),
                _link("text", "audio_transcribe_2"),
            ],
        },
        _response(_link("text", "summarization_1")),
        project_id=project_id,
    )


_BY_NAME: dict[str, Callable[[], Pipeline]] = {
    "simple-parser": simple_parser,
    "advanced-parser": advanced_parser,
    "simple-ocr": simple_ocr,
    "audio-transcription": audio_transcription,
    "audio-summary": audio_summary,
}


def names() -> list[str]:
    """The names of the predefined pipelines, as the command line takes them."""
    return list(_BY_NAME)


def get(name: str) -> Pipeline:
    """A fresh copy of the predefined pipeline called ``name`` (``"simple-parser"``, ...).

    Raises:
        ValueError: No pipeline has that name; the message lists the names.
    """
    try:
        make = _BY_NAME[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"no predefined pipeline is called {name!r}; choose one of: {', '.join(_BY_NAME)}"
        ) from None
    return make()


def summary(name: str) -> str:
    """One line on what the pipeline called ``name`` does."""
    get(name)  # the same error for an unknown name
    doc = _BY_NAME[name].__doc__ or ""
    return doc.strip().splitlines()[0]
