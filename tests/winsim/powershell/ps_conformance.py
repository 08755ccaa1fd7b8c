"""The PowerShell conformance suite's data: loading and validating tests/winsim/powershell/cases/*.yml.

Each case file holds one area's documented PowerShell behaviour (see the keys below); the runner
(test_conformance.py) executes each case on the interpreter once per PowerShell version it applies to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).parent / "cases"

# One file per area of the language (issue 8, item 1); the suite must cover each.
AREAS = (
    "output", "pipelines", "functions", "conversions", "arithmetic", "comparison", "text_operators",
    "strings", "control_flow", "errors", "scriptblocks", "collections", "dotnet", "accelerators", "versions",
)
VERSIONS = ("2.0", "5.1")
MINIMUM_CASES = 300

REQUIRED_KEYS = {"id", "source", "script", "output"}
OPTIONAL_KEYS = {
    "versions",     # the PowerShell versions the case holds for; default: all of VERSIONS
    "types",        # each output object's GetType().FullName
    "error",        # a substring of the message of the error that stopped the script
    "error_type",   # the full name of that error's exception type
    "error_stream",  # substrings of the messages of non-terminating errors, in order (default: none written)
    "input",        # lines the script reads from stdin as $input
    "exit_code",    # the process exit code
}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Case:
    area: str
    id: str
    source: str
    script: str
    output: list[str]
    versions: tuple[str, ...] = VERSIONS
    types: list[str] | None = None
    error: str | None = None
    error_type: str | None = None
    error_stream: list[str] | None = None
    input: list[str] | None = None
    exit_code: int | None = None
    problems: list[str] = field(default_factory=list, compare=False)

    def name(self, version: str) -> str:
        return f"{self.area}::{self.id}[{version}]"


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _check(area: str, raw: object, index: int) -> tuple[dict, list[str]]:
    """The case's fields and what is wrong with them (a malformed case still loads, so its test can fail)."""
    where = f"{area}.yml case #{index + 1}"
    if not isinstance(raw, dict):
        return {}, [f"{where}: not a mapping"]
    problems = []
    unknown = set(raw) - REQUIRED_KEYS - OPTIONAL_KEYS
    missing = REQUIRED_KEYS - set(raw)
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
    if not _ID.match(str(raw.get("id", ""))):
        problems.append(f"{where}: id {raw.get('id')!r} is not kebab-case")
    if not str(raw.get("source", "")).strip():
        problems.append(f"{where}: no source")
    if not isinstance(raw.get("script", ""), str) or not str(raw.get("script", "")).strip():
        problems.append(f"{where}: script is not a non-empty string")
    for key in ("output", "types", "error_stream", "input"):
        if key in raw and not _strings(raw[key]):
            problems.append(f"{where}: {key} is not a list of strings")
    if "types" in raw and _strings(raw["types"]) and len(raw["types"]) != len(raw.get("output") or []):
        problems.append(f"{where}: types and output differ in length")
    versions = raw.get("versions", list(VERSIONS))
    if not _strings(versions) or not versions or set(versions) - set(VERSIONS):
        problems.append(f"{where}: versions must be a non-empty subset of {list(VERSIONS)}")
    for key in ("error", "error_type"):
        if key in raw and not isinstance(raw[key], str):
            problems.append(f"{where}: {key} is not a string")
    if "exit_code" in raw and not isinstance(raw["exit_code"], int):
        problems.append(f"{where}: exit_code is not an integer")
    return raw, problems


def _make(area: str, raw: dict, problems: list[str]) -> Case:
    versions = raw.get("versions")
    return Case(
        area=area, id=str(raw.get("id", "")), source=str(raw.get("source", "")), script=str(raw.get("script", "")),
        output=list(raw.get("output") or []),
        versions=tuple(versions) if _strings(versions) and versions and not set(versions) - set(VERSIONS)
        else VERSIONS,
        types=raw.get("types"), error=raw.get("error"), error_type=raw.get("error_type"),
        error_stream=raw.get("error_stream"), input=raw.get("input"), exit_code=raw.get("exit_code"),
        problems=problems,
    )


def check_case(area: str, raw: object, index: int) -> list[str]:
    """What is wrong with one case as it stands in its file (empty when it is well formed)."""
    return _check(area, raw, index)[1]


def load_area(area: str) -> list[Case]:
    path = CASES_DIR / f"{area}.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
    if not isinstance(data, list):
        return [Case(area=area, id="file", source="", script="", output=[], problems=[f"{path}: not a list"])]
    cases = []
    for index, raw in enumerate(data):
        fields, problems = _check(area, raw, index)
        cases.append(_make(area, fields, problems))
    return cases


def load_all() -> list[Case]:
    """Every case of every area file, with duplicate ids (across files) reported as problems."""
    files = sorted(p.stem for p in CASES_DIR.glob("*.yml"))
    areas = list(AREAS) + [name for name in files if name not in AREAS]
    cases = [case for area in areas for case in load_area(area)]
    seen: dict[str, str] = {}
    for case in cases:
        if case.id in seen:
            case.problems.append(f"id {case.id!r} used in {seen[case.id]}.yml and {case.area}.yml")
        else:
            seen[case.id] = case.area
    return cases
