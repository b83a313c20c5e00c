"""Write what the registry (``_operations.REGISTRY``) declares for the async client:
``wrapper/aparavi_dtc/_async_methods.py``, and the raw views at the end of
``_async_client.py``. ``tools/unasync.py`` then makes the sync twins of both.

    python tools/methods.py           write them
    python tools/methods.py --check   exit 1 when either is not what it would write

Each registry entry names the methods that send its operation. One given a docstring there
is written here: its arguments are those of the generated endpoint's ``_get_kwargs`` (found
by the operationId), an optional one (``UNSET`` there) taking None, a string refused when
empty before anything is sent; a task's ``token`` and ``type`` come from the handle, or from
the client's current task; its answer is the registry's model. The client and its handles
inherit them: ``AsyncAparaviDTC(AsyncClientMethods)``, ``AsyncTask(AsyncTaskMethods)``,
``AsyncPipe(AsyncPipeMethods)``. One given None is written by hand in ``_async_client.py``.
Every method of either kind gets its raw view (``with_raw_response``).

``make generate`` runs this after the generator, and ``make drift`` checks it.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import keyword
import pkgutil
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from unasync import ROOT, format_python

PACKAGE = ROOT / "wrapper" / "aparavi_dtc"
METHODS = PACKAGE / "_async_methods.py"
CLIENT = PACKAGE / "_async_client.py"
#: Where the raw views begin in ``_async_client.py``: all below it is this tool's.
RAW_VIEWS = (
    "# -- raw views: written by tools/methods.py from the registry (_operations.REGISTRY),\n"
    "# one for every method that sends an operation. Nothing below this line is edited by\n"
    "# hand: run `make generate`.\n"
)
OWNERS = ("AparaviDTC", "Task", "Pipe")
#: Each owner's class, the name its raw views call it by, and their docstring.
RAW = {
    "AparaviDTC": (
        "AsyncRawResponses",
        "client",
        "``client.with_raw_response``: each operation answering the :class:`RawResponse` "
        "it read;\n``parse()`` returns what the plain method returns.",
    ),
    "Task": (
        "AsyncTaskRawResponses",
        "task",
        "``task.with_raw_response``: the task's operations answering their\n"
        ":class:`RawResponse`; ``parse()`` returns what the plain method returns.",
    ),
    "Pipe": (
        "AsyncPipeRawResponses",
        "pipe",
        "``pipe.with_raw_response``: the pipe's operations answering their\n"
        ":class:`RawResponse`; ``parse()`` returns what the plain method returns.",
    ),
}


class GenerateError(Exception):
    """A registry entry this tool cannot write a method for."""


class Method(NamedTuple):
    """One method to write: where, what it sends, and its docstring."""

    owner: str  # "AparaviDTC", "Task" or "Pipe"
    name: str
    constant: str  # the registry entry's name in _operations: "GET_TASK"
    operation: Any
    doc: str


def endpoint_of(operation_id: str) -> ModuleType:
    """The generated endpoint module of ``operation_id`` (``getTask``: ``tasks.get_task``),
    named as the generator names it, under whichever tag holds it."""
    from openapi_python_client.strings import snake_case

    api = importlib.import_module("aparavi_dtc_api.api")
    wanted = snake_case(operation_id)
    found = [
        importlib.import_module(f"{api.__name__}.{tag.name}.{wanted}")
        for tag in pkgutil.iter_modules(api.__path__)
        if wanted in importlib.import_module(f"{api.__name__}.{tag.name}").__all__
    ]
    if len(found) != 1:
        raise GenerateError(f"{operation_id}: {len(found)} generated endpoint modules match")
    return found[0]


def offered(registry: ModuleType) -> tuple[list[Method], dict[str, list[str]]]:
    """The methods to write, and every method's name by owner, each checked."""
    constants = {id(value): name for name, value in vars(registry).items() if name.isupper()}
    # What a client holds before its methods: class members and those __init__ sets.
    base = importlib.import_module("aparavi_dtc._base").BaseClient
    client_members = set(dir(base("k" * 32, base_url="http://127.0.0.1")))
    methods: list[Method] = []
    names: dict[str, list[str]] = {owner: [] for owner in OWNERS}
    by: dict[str, str] = {}  # each method, to the operation that offers it
    for operation in registry.REGISTRY:
        entry = operation.operation_id
        for path, doc in operation.offered.items():
            owner, _, name = path.partition(".")
            if owner not in OWNERS or not name.isidentifier() or keyword.iskeyword(name):
                raise GenerateError(f"{entry}: no such method: {path!r}")
            if name.startswith("_") or (owner == "AparaviDTC" and name in client_members):
                raise GenerateError(f"{entry}: {path} would hide the client's own {name}")
            if path in by:
                raise GenerateError(f"{entry}: {path} is offered by {by[path]} already")
            by[path] = entry
            if doc is not None and ('"""' in doc or "\\" in doc):
                raise GenerateError(
                    f"{entry}: the docstring of {path} holds three quotes or a backslash, "
                    "which would not be read as written: leave them out"
                )
            names[owner].append(name)
            if doc is not None:
                methods.append(Method(owner, name, constants[id(operation)], operation, doc))
    return methods, names


class Writer:
    """The text of ``_async_methods.py``: what its methods need, gathered as they are written."""

    def __init__(self) -> None:
        self.tags: set[str] = set()
        self.models: set[str] = set()
        self.uses_unset = self.uses_check = False

    def method(self, method: Method) -> str:
        """One method, indented for its class."""
        operation = method.operation
        endpoint = endpoint_of(operation.operation_id)
        tag, module = endpoint.__name__.split(".")[-2:]
        self.tags.add(tag)
        model = operation.model.__name__
        self.models.add(model)
        arguments, body, passed = self.arguments(method, endpoint)
        client = "self"
        token = ""
        names = "task" if "type_" in passed else "pipe" if "token" in passed else None
        owners = {"task": ("AparaviDTC", "Task"), "pipe": ("Pipe",), None: ("AparaviDTC",)}
        if method.owner not in owners[names]:
            what = f"a {names}'s operation" if names else "an operation of the service"
            raise GenerateError(
                f"{operation.operation_id}: {method.owner}.{method.name}: {what} is offered "
                f"by {' or '.join(owners[names])} only"
            )
        if names == "task" and method.owner == "AparaviDTC":
            body.append("token, type_ = self._active_task()")
            token = ", token"
        elif names is not None:
            token = ", self.token"
        if method.owner != "AparaviDTC":
            body.append("client = self._client")
            client = "client"
        body.append(f"kwargs = {tag}_api.{module}._get_kwargs({', '.join(passed.values())})")
        send = f"{client}._call(ops.{method.constant}, kwargs, timeout, max_retries{token})"
        body.append(f"return await {client}._send({send})")
        doc = textwrap.indent(method.doc, "    ").lstrip() + (
            "\n    " if "\n" in method.doc else ""
        )
        return (
            f"async def {method.name}(\n"
            "    self,\n" + "".join(f"    {argument},\n" for argument in arguments) + "    *,\n"
            "    timeout: TimeoutTypes | NotGiven = NOT_GIVEN,\n"
            "    max_retries: int | NotGiven = NOT_GIVEN,\n"
            f") -> {model}:\n"
            f'    """{doc}"""\n' + "".join(f"    {line}\n" for line in body)
        )

    def arguments(
        self, method: Method, endpoint: ModuleType
    ) -> tuple[list[str], list[str], dict[str, str]]:
        """The method's own arguments, the checks of them, and what it passes the builder."""
        required: list[str] = []
        optional: list[str] = []
        checks: list[str] = []
        passed: dict[str, str] = {}
        for parameter in inspect.signature(endpoint._get_kwargs).parameters.values():
            name = parameter.name
            if name in ("token", "type_"):
                mine = method.owner != "AparaviDTC"
                passed[name] = f"{name}=self.{name.rstrip('_')}" if mine else f"{name}={name}"
                continue
            kind = str(parameter.annotation).replace(" ", "")
            if name == "body" or kind not in ("str", "str|Unset"):
                raise GenerateError(
                    f"{method.operation.operation_id}: {name} ({parameter.annotation}) is not "
                    "a query string: write its method by hand (None in the registry)"
                )
            self.uses_check = True
            if kind == "str":
                required.append(f"{name}: str")
                checks.append(f'check_token({name}, "{name}")')
                passed[name] = f"{name}={name}"
            else:
                self.uses_unset = True
                optional.append(f"{name}: str | None = None")
                checks.append(f'if {name} is not None:\n        check_token({name}, "{name}")')
                passed[name] = f"{name}=UNSET if {name} is None else {name}"
        return required + optional, checks, passed

    def methods_file(self, methods: list[Method]) -> str:
        """``_async_methods.py``, before formatting."""
        bodies = {owner: [self.method(m) for m in methods if m.owner == owner] for owner in OWNERS}
        out = [
            "# Generated by tools/methods.py from _operations.REGISTRY: do not edit; edit the\n"
            "# registry and run `make generate` (`make drift` fails when this file is stale).\n"
            '"""The methods the registry declares (``_operations.REGISTRY``), for\n'
            ":class:`AsyncAparaviDTC`, :class:`AsyncTask` and :class:`AsyncPipe` to inherit.\n"
            '"""\n\n'
            "from __future__ import annotations\n\n"
            "from typing import TYPE_CHECKING, TypeVar\n\n"
        ]
        # Each tag as <tag>_api, so that no argument (``service``) hides it.
        out += [
            f"from aparavi_dtc_api.api import {tag} as {tag}_api\n" for tag in sorted(self.tags)
        ]
        if self.uses_unset:
            out.append("from aparavi_dtc_api.types import UNSET\n")
        out.append("\nfrom . import _operations as ops\nfrom ._base import BaseClient\n")
        out.append(
            f"from ._checks import TimeoutTypes{', check_token' if self.uses_check else ''}\n"
        )
        out.append("from ._sentinel import NOT_GIVEN, NotGiven\n\n")
        out.append("if TYPE_CHECKING:\n")
        out += [f"    from aparavi_dtc_api.models import {m}\n" for m in sorted(self.models)]
        out.append("\n    from ._types import Call\n\n")
        out.append('M = TypeVar("M")\n\n\n')
        out.append(
            "class AsyncClientMethods(BaseClient):\n"
            '    """What :class:`AsyncAparaviDTC` sends as the registry declares it."""\n\n'
            "    async def _send(self, call: Call[M]) -> M:\n"
            '        """Send ``call``, return its model: the client\'s own."""\n'
            "        raise NotImplementedError\n\n"
        )
        out += [textwrap.indent(body, "    ") + "\n" for body in bodies["AparaviDTC"]]
        for owner, fields in (
            ("Task", "    token: str\n    type: str\n"),
            ("Pipe", "    token: str\n"),
        ):
            out.append(
                f"\nclass Async{owner}Methods:\n"
                f'    """What :class:`Async{owner}` sends as the registry declares it."""\n\n'
                f"    __slots__ = ()\n    _client: AsyncClientMethods\n{fields}\n"
            )
            out += [textwrap.indent(body, "    ") + "\n" for body in bodies[owner]]
        return "".join(out)


def raw_views(names: dict[str, list[str]]) -> str:
    """The raw views' classes, the end of ``_async_client.py``."""
    out = [RAW_VIEWS]
    for owner, (cls, argument, doc) in RAW.items():
        methods = sorted(names[owner])
        handle = f"Async{owner}"
        out.append(
            f"\n\nclass {cls}:\n"
            f'    """{textwrap.indent(doc, "    ").lstrip()}"""\n\n'
            f"    __slots__ = ({''.join(f'{name!r}, ' for name in methods)})\n\n"
            f"    def __init__(self, {argument}: {handle}) -> None:\n"
            + "".join(f"        self.{n} = async_raw_view({argument}.{n})\n" for n in methods)
            + ("" if methods else "        pass\n")
        )
    return "".join(out)


def generate(client_source: str, registry: ModuleType | None = None) -> dict[Path, str]:
    """Each file's text as the registry makes it, formatted; ``client_source`` is
    ``_async_client.py`` as it is, whose hand-written part is kept."""
    if registry is None:
        # This tree's registry and generated package, whatever the environment installed.
        for path in (ROOT / "generated", ROOT / "wrapper"):
            if str(path) not in sys.path:
                sys.path.insert(0, str(path))
        registry = importlib.import_module("aparavi_dtc._operations")
    methods, names = offered(registry)
    if RAW_VIEWS not in client_source:
        raise GenerateError(f"{CLIENT.name} has lost the line that begins the raw views")
    hand_written = client_source[: client_source.index(RAW_VIEWS)].rstrip() + "\n\n\n"
    return {
        METHODS: format_python(Writer().methods_file(methods), METHODS),
        CLIENT: format_python(hand_written + raw_views(names), CLIENT),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    try:
        wanted = generate(CLIENT.read_text(encoding="utf-8"))
    except GenerateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stale = [
        path
        for path, text in wanted.items()
        if not path.exists() or path.read_text("utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(
                f"{path.name} is out of date with the registry (_operations.REGISTRY): "
                "run 'make generate' and commit",
                file=sys.stderr,
            )
        if not stale:
            print(f"drift: {METHODS.name} and {CLIENT.name}'s raw views match the registry")
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
