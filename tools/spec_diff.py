"""What a change of ``openapi.yaml`` breaks for a user of this typed SDK (`make spec-diff`).

    python tools/spec_diff.py NEW.yaml [--old openapi.yaml] [--json]

Both specs are generated with the pinned generator and this repository's templates into a
temporary folder, as `make generate` would; both packages are loaded with griffe and
compared as Python: an operation's request builder (``_get_kwargs``: its parameters and
their annotations) and answer (``ANSWER``: its annotation), each model's fields (required
or not, annotation) and each enum's values (``Literal`` aliases). What the generator does
not express is compared on the specs themselves: operations, the request media types the
wrapper sends, status codes. griffe's own ``find_breaking_changes`` runs too, and anything
it finds that these checks did not is listed as breaking.

Every finding is named as the spec names it (operationId, schema, wire property name) and
classed for a user of the SDK. Whether a change breaks depends on the direction of what
changed: a request model gains a required field (breaking: code that built it no longer
type-checks and the service would refuse the old request) where a response model only
gains a value the SDK receives (not breaking). A response enum value the spec adds breaks
an older SDK where the field is required (its check refuses the value); an optional field
is lenient: the SDK reads the unknown value as absent (``strict=True`` refuses it).

Exit codes: 0 no breaking change, 1 at least one, 2 a spec that cannot be read, is not an
OpenAPI document, or does not generate.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Finding", "SpecError", "compare", "compare_all", "main"]

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
PACKAGE = "aparavi_dtc_api"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# Attributes every generated model has that are not fields of its schema.
NOT_FIELDS = frozenset({"additional_properties"})


class SpecError(Exception):
    """A spec that cannot be compared: unreadable, not OpenAPI, or not generating."""


@dataclass(frozen=True)
class Finding:
    """One difference between the two specs, as a user of the SDK sees it."""

    breaking: bool
    change: str  # added, removed, changed
    kind: str  # operation, parameter, answer, property, schema, enum value, status code,
    # media type
    where: str  # the spec's names: "getTask", "TaskStatus", "PUT /webhook"
    name: str = ""  # the parameter, wire property, value, status or media type
    detail: str = ""
    source: str = field(default="spec-diff", compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return self.where, self.name


# -- the specs ------------------------------------------------------------------------


def load_spec(path: Path) -> dict[str, Any]:
    """The spec at ``path`` as a dict; SpecError when it is not an OpenAPI document."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path} is not UTF-8 text") from None
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(spec, dict) or not str(spec.get("openapi", "")).startswith("3."):
        raise SpecError(f"{path} is not an OpenAPI 3 document (no `openapi: 3.x`)")
    if not isinstance(spec.get("paths"), dict):
        raise SpecError(f"{path} has no `paths`")
    return spec


def _operations(spec: Mapping[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """operationId -> ("METHOD /path", the operation), of every operation with an id."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            operation = (item or {}).get(method)
            if isinstance(operation, dict) and operation.get("operationId"):
                found[str(operation["operationId"])] = (f"{method.upper()} {path}", operation)
    return found


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """``node`` with a local ``$ref`` followed (once per level)."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return node
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
        node, seen = target, seen + 1
    return node


def spec_findings(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Finding]:
    """What the generator does not express: operations, request media types, statuses."""
    found: list[Finding] = []
    before, after = _operations(old), _operations(new)
    for op_id in sorted(before.keys() - after.keys()):
        found.append(Finding(True, "removed", "operation", op_id, detail=before[op_id][0]))
    for op_id in sorted(after.keys() - before.keys()):
        found.append(Finding(False, "added", "operation", op_id, detail=after[op_id][0]))
    for op_id in sorted(before.keys() & after.keys()):
        (was_at, was), (now_at, now) = before[op_id], after[op_id]
        if was_at != now_at:
            found.append(
                Finding(True, "changed", "operation", op_id, detail=f"{was_at} -> {now_at}")
            )
        types_before = set((_resolve(old, was.get("requestBody")) or {}).get("content") or {})
        types_after = set((_resolve(new, now.get("requestBody")) or {}).get("content") or {})
        for media in sorted(types_before - types_after):
            found.append(
                Finding(
                    True,
                    "removed",
                    "media type",
                    op_id,
                    media,
                    "a request body the SDK may send is no longer accepted",
                )
            )
        for media in sorted(types_after - types_before):
            found.append(Finding(False, "added", "media type", op_id, media))
        codes_before = {str(c) for c in (was.get("responses") or {})}
        codes_after = {str(c) for c in (now.get("responses") or {})}
        for code in sorted(codes_before - codes_after):
            success = code.startswith("2")
            detail = "the answer the SDK reads" if success else "no longer documented"
            found.append(Finding(success, "removed", "status code", op_id, code, detail))
        for code in sorted(codes_after - codes_before):
            found.append(Finding(False, "added", "status code", op_id, code))
    return found


# -- the generated packages -------------------------------------------------------------


@contextlib.contextmanager
def generated(*specs: Path) -> Iterator[list[tuple[Path, frozenset[str]]]]:
    """Each spec generated into a folder of its own, as many at once as there are cores;
    yields each folder with the generator's warnings (what it left out)."""
    generator = Path(sys.executable).parent / "openapi-python-client"
    env = dict(os.environ, PATH=f"{generator.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    with tempfile.TemporaryDirectory(prefix="spec-diff-") as tmp:
        folders = [Path(tmp) / str(i) for i in range(len(specs))]
        failures: list[str] = []
        warnings: dict[Path, frozenset[str]] = {}
        running: list[tuple[Path, subprocess.Popen[str]]] = []

        def finish(spec: Path, run: subprocess.Popen[str]) -> None:
            output, errors = run.communicate()
            warnings[spec] = _warnings(output + errors)
            if run.returncode != 0:
                last = [line for line in errors.splitlines() if line.strip()][-3:]
                failures.append(f"{spec} does not generate: {' '.join(last)}")

        for spec, folder in zip(specs, folders, strict=True):
            if len(running) >= (os.cpu_count() or 2):
                finish(*running.pop(0))
            command = [str(generator), "generate", "--path", str(spec.resolve())]
            command += ["--config", str(ROOT / "generator-config.yaml"), "--meta", "none"]
            command += ["--custom-template-path", str(ROOT / "generator-templates")]
            command += ["--output-path", str(folder / PACKAGE)]
            run = subprocess.Popen(
                command,
                cwd=tmp,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            running.append((spec, run))
        for spec, run in running:
            finish(spec, run)
        if failures:
            raise SpecError("; ".join(failures))
        yield [(folder, warnings[spec]) for spec, folder in zip(specs, folders, strict=True)]


def _warnings(output: str) -> frozenset[str]:
    """The generator's warnings: ``WARNING parsing GET /task ...`` and the line saying what."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    found = set()
    for at, line in enumerate(lines):
        if line.startswith("WARNING") and at + 1 < len(lines):
            found.add(re.sub(r" ?<[^<>]* object at 0x[0-9a-f]+>", "", f"{line} {lines[at + 1]}"))
    return frozenset(found)


def _split_union(annotation: str) -> frozenset[str]:
    """The members of a ``A | B`` annotation (at the outer level), without ``Unset``."""
    parts, depth, current = [], 0, ""
    for char in annotation:
        depth += char in "[("
        depth -= char in "])"
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return frozenset(part for part in parts if part and part != "Unset")


@dataclass
class Package:
    """What the SDK makes of one spec: its request builders, models and enums."""

    builders: dict[str, dict[str, tuple[str, bool]]]  # module -> param -> (annotation, required)
    answers: dict[str, str]  # module -> the parsed answer's annotation
    models: dict[str, dict[str, tuple[str, bool]]]  # class -> attribute -> (annotation, req.)
    wire: dict[str, dict[str, str]]  # class -> attribute -> wire name
    enums: dict[str, frozenset[str]]  # alias -> values
    griffe: Any


def load_package(folder: Path) -> Package:
    import griffe

    root = griffe.load(PACKAGE, search_paths=[str(folder)], resolve_aliases=False)
    builders: dict[str, dict[str, tuple[str, bool]]] = {}
    answers: dict[str, str] = {}
    for group in root["api"].modules.values():
        for module in group.modules.values():
            if "_get_kwargs" not in module.members:
                continue
            builder = module["_get_kwargs"]
            builders[module.name] = {
                p.name: (str(p.annotation), p.default is None) for p in builder.parameters
            }
            if "ANSWER" in module.members:
                answers[module.name] = str(module["ANSWER"].annotation)
    models: dict[str, dict[str, tuple[str, bool]]] = {}
    wire: dict[str, dict[str, str]] = {}
    enums: dict[str, frozenset[str]] = {}
    for module in root["models"].modules.values():
        for name, member in module.members.items():
            if member.is_alias:
                continue
            if member.is_class:
                fields = {}
                for attr_name, attr in member.attributes.items():
                    if attr_name.startswith("_") or attr_name in NOT_FIELDS:
                        continue
                    fields[attr_name] = (str(attr.annotation), attr.value is None)
                models[name] = fields
                table = member.members.get("_WIRE_NAMES")
                names: dict[str, str] = {}
                if table is not None and table.value is not None:
                    with contextlib.suppress(ValueError, SyntaxError):
                        names = {v: k for k, v in ast.literal_eval(str(table.value)).items()}
                wire[name] = names
            elif member.is_attribute and str(member.value or "").startswith("Literal["):
                values = ast.literal_eval("[" + str(member.value)[len("Literal[") : -1] + "]")
                enums[name] = frozenset(str(v) for v in values)
    return Package(builders, answers, models, wire, enums, root)


def _mentions(annotation: str, names: Sequence[str]) -> set[str]:
    words = set(
        annotation.replace("[", " ").replace("]", " ").replace("|", " ").replace(",", " ").split()
    )
    return words & set(names)


def directions(package: Package) -> dict[str, set[str]]:
    """Each model's and enum's direction: sent (``request``), read (``response``) or both."""
    named = list(package.models) + list(package.enums)
    seen: dict[str, set[str]] = {name: set() for name in named}
    todo: list[tuple[str, str]] = []
    for params in package.builders.values():
        for annotation, _ in params.values():
            todo += [(name, "request") for name in _mentions(annotation, named)]
    for annotation in package.answers.values():
        todo += [(name, "response") for name in _mentions(annotation, named)]
    while todo:
        name, way = todo.pop()
        if way in seen[name]:
            continue
        seen[name].add(way)
        for annotation, _ in package.models.get(name, {}).values():
            todo += [(inner, way) for inner in _mentions(annotation, named)]
    return seen


# -- naming: the generator's Python names back to the spec's ----------------------------


@dataclass
class Names:
    """The spec's names for the generator's: operations, schemas, parameters."""

    operations: dict[str, str]  # module name -> operationId
    schemas: dict[str, str]  # class name -> schema name
    parameters: dict[tuple[str, str], str]  # (module, Python name) -> parameter name

    @classmethod
    def of(cls, spec: Mapping[str, Any]) -> Names:
        from openapi_python_client.strings import ClassName, PythonIdentifier, snake_case

        operations, parameters = {}, {}
        for op_id, (_, operation) in _operations(spec).items():
            module = snake_case(op_id)
            operations[module] = op_id
            for parameter in operation.get("parameters") or []:
                name = str((_resolve(spec, parameter) or {}).get("name", ""))
                parameters[(module, str(PythonIdentifier(name, "field_")))] = name
            parameters[(module, "body")] = "request body"
        schemas = {
            str(ClassName(name, "field_")): str(name)
            for name in ((spec.get("components") or {}).get("schemas") or {})
        }
        return cls(operations, schemas, parameters)

    def operation(self, module: str) -> str:
        return self.operations.get(module, module)

    def schema(self, class_name: str) -> str:
        return self.schemas.get(class_name, f"{class_name} (inline)")

    def parameter(self, module: str, name: str) -> str:
        return self.parameters.get((module, name), name)


# -- the comparison ---------------------------------------------------------------------


def _annotation_change(old: str, new: str) -> str | None:
    before, after = _split_union(old), _split_union(new)
    if before == after:
        return None
    return f"{' | '.join(sorted(before))} -> {' | '.join(sorted(after))}"


def package_findings(
    old: Package, new: Package, old_names: Names, new_names: Names
) -> list[Finding]:
    found: list[Finding] = []
    for module in sorted(old.builders.keys() & new.builders.keys()):
        op = new_names.operation(module)
        before, after = old.builders[module], new.builders[module]
        for param in sorted(before.keys() - after.keys()):
            name = old_names.parameter(module, param)
            found.append(Finding(True, "removed", "parameter", op, name))
        for param in sorted(after.keys() - before.keys()):
            name, required = new_names.parameter(module, param), after[param][1]
            detail = "required: code that calls without it breaks" if required else "optional"
            found.append(Finding(required, "added", "parameter", op, name, detail))
        for param in sorted(before.keys() & after.keys()):
            name = new_names.parameter(module, param)
            (was, was_required), (now, now_required) = before[param], after[param]
            if now_required and not was_required:
                found.append(Finding(True, "changed", "parameter", op, name, "made required"))
            elif was_required and not now_required:
                found.append(Finding(False, "changed", "parameter", op, name, "made optional"))
            change = _annotation_change(was, now)
            if change:
                found.append(Finding(True, "changed", "parameter", op, name, change))
    for module in sorted(old.answers.keys() & new.answers.keys()):
        old_answer = _split_union(old.answers[module])
        new_answer = _split_union(new.answers[module])
        op = new_names.operation(module)
        for gone in sorted(old_answer - new_answer - {"None"}):
            detail = "code that reads this answer breaks"
            found.append(Finding(True, "removed", "answer", op, old_names.schema(gone), detail))
        for came in sorted(new_answer - old_answer - {"None"}):
            found.append(Finding(False, "added", "answer", op, new_names.schema(came)))
    ways = directions(new) | {k: v for k, v in directions(old).items() if k not in new.models}
    for cls in sorted(old.models.keys() - new.models.keys()):
        found.append(Finding(True, "removed", "schema", old_names.schema(cls)))
    for cls in sorted(new.models.keys() - old.models.keys()):
        found.append(Finding(False, "added", "schema", new_names.schema(cls)))
    for cls in sorted(old.models.keys() & new.models.keys()):
        found += _model_findings(cls, old, new, new_names.schema(cls), ways.get(cls, set()))
    for alias in sorted(old.enums.keys() & new.enums.keys()):
        found += _enum_findings(alias, old, new, new_names, ways.get(alias, set()))
    return found


def _model_findings(
    cls: str, old: Package, new: Package, schema: str, ways: set[str]
) -> list[Finding]:
    found = []
    before, after = old.models[cls], new.models[cls]
    sent, read = "request" in ways, "response" in ways or not ways

    def wire(package: Package, attr: str) -> str:
        return package.wire.get(cls, {}).get(attr, attr)

    for attr in sorted(before.keys() - after.keys()):
        found.append(Finding(True, "removed", "property", schema, wire(old, attr)))
    for attr in sorted(after.keys() - before.keys()):
        required = after[attr][1]
        detail = "required" if required else "optional"
        breaks = required and sent
        if breaks:
            detail += ": a request built without it is refused"
        found.append(Finding(breaks, "added", "property", schema, wire(new, attr), detail))
    for attr in sorted(before.keys() & after.keys()):
        name = wire(new, attr)
        (was, was_required), (now, now_required) = before[attr], after[attr]
        if now_required and not was_required:
            found.append(Finding(sent, "changed", "property", schema, name, "made required"))
        elif was_required and not now_required:
            detail = "made optional: code that reads it may find it absent"
            found.append(Finding(read, "changed", "property", schema, name, detail))
        change = _annotation_change(was, now)
        if change:
            found.append(Finding(True, "changed", "property", schema, name, change))
    return found


def _enum_findings(
    alias: str, old: Package, new: Package, names: Names, ways: set[str]
) -> list[Finding]:
    """Values of an enum: a value removed breaks what sends it; a value added breaks an
    older SDK that reads it into a required field (its check refuses the value)."""
    where = _enum_owner(alias, new, names)
    removed, added = old.enums[alias] - new.enums[alias], new.enums[alias] - old.enums[alias]
    sent, read = "request" in ways, "response" in ways
    required = _enum_required(alias, new)
    found = []
    for value in sorted(removed):
        detail = "code that sends it is refused" if sent else "no longer sent"
        found.append(Finding(sent, "removed", "enum value", where, value, detail))
    for value in sorted(added):
        if read and required:
            detail = "an older SDK's check refuses it: the field is required"
        elif read:
            detail = "lenient: the field is optional, an older SDK reads it as absent"
            detail += " (strict=True refuses it)"
        else:
            detail = "a new value to send"
        found.append(Finding(read and required, "added", "enum value", where, value, detail))
    return found


def _enum_users(alias: str, package: Package) -> Iterator[tuple[str, str, bool]]:
    for cls, fields in package.models.items():
        for attr, (annotation, required) in fields.items():
            if alias in _mentions(annotation, [alias]):
                yield cls, attr, required


def _enum_required(alias: str, package: Package) -> bool:
    return any(required for _, _, required in _enum_users(alias, package))


def _enum_owner(alias: str, package: Package, names: Names) -> str:
    for cls, attr, _ in _enum_users(alias, package):
        return f"{names.schema(cls)}.{package.wire.get(cls, {}).get(attr, attr)}"
    for module, params in package.builders.items():
        for param, (annotation, _) in params.items():
            if alias in _mentions(annotation, [alias]):
                return f"{names.operation(module)}.{names.parameter(module, param)}"
    return alias


def griffe_findings(old: Package, new: Package, names: Names) -> list[Finding]:
    """griffe's own breakages, named as the spec names them where they can be."""
    import griffe

    found = []
    for breakage in griffe.find_breaking_changes(old.griffe, new.griffe):
        parts = breakage.obj.path.split(".")
        where, name = breakage.obj.path, ""
        if len(parts) >= 4 and parts[1] == "api":  # aparavi_dtc_api.api.<tag>.<module>.<fn>
            where = names.operation(parts[3])
            param = getattr(breakage.old_value, "name", None) or getattr(
                breakage.new_value, "name", None
            )
            name = names.parameter(parts[3], param) if isinstance(param, str) else ""
        elif len(parts) >= 4 and parts[1] == "models":
            where = names.schema(parts[3])
            if len(parts) >= 5:
                name = new.wire.get(parts[3], old.wire.get(parts[3], {})).get(parts[4], parts[4])
        found.append(
            Finding(True, "changed", "python", where, name, breakage.explain(), source="griffe")
        )
    return found


def compare(old_path: Path, new_path: Path) -> list[Finding]:
    """Every difference from ``old_path`` to ``new_path``, breaking ones first."""
    return compare_all({"": (old_path, new_path)})[""]


def compare_all(pairs: Mapping[str, tuple[Path, Path]]) -> dict[str, list[Finding]]:
    """:func:`compare` for each ``(old, new)`` pair, each distinct spec generated once."""
    paths = list(dict.fromkeys(path.resolve() for pair in pairs.values() for path in pair))
    specs = {path: load_spec(path) for path in paths}
    with generated(*paths) as folders:
        packages = {
            path: load_package(folder) for path, (folder, _) in zip(paths, folders, strict=True)
        }
        warned = {path: warnings for path, (_, warnings) in zip(paths, folders, strict=True)}
    names = {path: Names.of(spec) for path, spec in specs.items()}
    found = {}
    for key, (old_path, new_path) in pairs.items():
        old, new = old_path.resolve(), new_path.resolve()
        left_out = sorted(warned[new] - warned[old])
        if left_out:  # the generator warns and goes on without what it cannot take
            raise SpecError(f"{new_path} does not generate whole: {'; '.join(left_out)}")
        found[key] = _findings(
            specs[old], specs[new], packages[old], packages[new], names[old], names[new]
        )
    return found


def _findings(
    old_spec: Mapping[str, Any],
    new_spec: Mapping[str, Any],
    old: Package,
    new: Package,
    old_names: Names,
    new_names: Names,
) -> list[Finding]:
    found = spec_findings(old_spec, new_spec)
    found += package_findings(old, new, old_names, new_names)
    known = {f.key for f in found} | {(f.where, "") for f in found}
    for extra in griffe_findings(old, new, new_names):
        if extra.key not in known and (extra.where, "") not in known:
            found.append(extra)
            known.add(extra.key)
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda f: (not f.breaking, f.where, f.kind, f.name))


# -- the command ------------------------------------------------------------------------


def table(findings: Sequence[Finding]) -> str:
    if not findings:
        return "No change to the API."
    rows = [("", "change", "what", "where", "name", "detail")]
    for f in findings:
        rows.append(
            ("BREAKING" if f.breaking else "ok", f.change, f.kind, f.where, f.name, f.detail)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[5]
        for row in rows
    ]
    breaking = sum(f.breaking for f in findings)
    lines.append(f"\n{len(findings)} changes, {breaking} breaking for users of the SDK.")
    return "\n".join(line.rstrip() for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("new", type=Path, metavar="NEW", help="the changed spec")
    parser.add_argument("--old", type=Path, default=SPEC, help="the spec to compare with")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    args = parser.parse_args(argv)
    try:
        findings = compare(args.old, args.new)
    except SpecError as exc:
        print(f"spec-diff: {exc}", file=sys.stderr)
        return 2
    if args.json:
        changes = [{k: v for k, v in asdict(f).items()} for f in findings]
        breaking = sum(f.breaking for f in findings)
        print(json.dumps({"breaking": breaking, "changes": changes}, indent=2))
    else:
        print(table(findings))
    return 1 if any(f.breaking for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
