"""The PowerShell conformance suite: every case of cases/*.yml run on the interpreter, once per version.

A case states documented PowerShell behaviour (its source is cited in the case): the script's success
stream as [string] conversions, optionally the objects' types, the terminating error, the non-terminating
errors (none unless the case names them) and the exit code. The figure printed at the end of the session
comes from conformance_summary.py.
"""

from __future__ import annotations

import pytest
from ps_conformance import AREAS, CASES_DIR, MINIMUM_CASES, Case, check_case, load_all

from winsim.powershell.clr import typesystem, values
from winsim.powershell.engine import Engine, make_runtime, to_string

CASES = load_all()
RUNS = [(case, version) for case in CASES for version in case.versions]


def type_full_name(value: object) -> str:
    """What $value.GetType().FullName gives for an output object."""
    if value is None:
        return "$null"
    found = typesystem.type_of(value)
    if found is not None:
        return found.full_name
    return values.clr_type_name(value) or f"<unregistered Python {type(value).__name__}>"


def _exception_of(record: object) -> object:
    exception = getattr(record, "exception", None)
    return exception if exception is not None else getattr(record, "Exception", None)


def _describe(case: Case, version: str, result) -> str:
    lines = [f"case {case.name(version)} ({case.source})", "script:", case.script.rstrip()]
    lines.append(f"output: {[to_string(item) for item in result.output]!r}")
    lines.append(f"types:  {[type_full_name(item) for item in result.output]!r}")
    if result.terminating is not None:
        exception = _exception_of(result.terminating)
        lines.append(f"terminating: {type_full_name(exception)}: {to_string(result.terminating)}")
    if result.errors:
        lines.append(f"error stream: {[to_string(record) for record in result.errors]!r}")
    return "\n".join(lines)


def check(case: Case, version: str) -> None:
    assert not case.problems, "\n".join(case.problems)
    major, minor = (int(part) for part in version.split("."))
    engine = Engine(make_runtime(version=(major, minor)))
    result = engine.run(case.script, input_lines=case.input)
    described = _describe(case, version, result)

    assert [to_string(item) for item in result.output] == case.output, described
    if case.types is not None:
        assert [type_full_name(item) for item in result.output] == case.types, described
    if case.error is None and case.error_type is None:
        assert result.terminating is None, described
    else:
        assert result.terminating is not None, described
        if case.error is not None:
            assert case.error in to_string(result.terminating), described
        if case.error_type is not None:
            assert type_full_name(_exception_of(result.terminating)) == case.error_type, described
    # A case that names no non-terminating errors expects none: a stray error is a behaviour difference too.
    expected_errors = case.error_stream or []
    messages = [to_string(record) for record in result.errors]
    assert len(messages) == len(expected_errors), described
    for expected, message in zip(expected_errors, messages, strict=True):
        assert expected in message, described
    if case.exit_code is not None:
        assert result.exit_code == case.exit_code, described


@pytest.mark.parametrize(("case", "version"), RUNS, ids=[case.name(version) for case, version in RUNS])
def test_case(case: Case, version: str) -> None:
    check(case, version)


def test_suite_covers_every_area_with_enough_cases() -> None:
    missing = [area for area in AREAS if not (CASES_DIR / f"{area}.yml").exists()]
    assert not missing, f"area files missing: {missing}"
    assert len(CASES) >= MINIMUM_CASES
    empty = [area for area in AREAS if not any(case.area == area for case in CASES)]
    assert not empty, f"areas without cases: {empty}"


def test_every_case_is_well_formed() -> None:
    problems = [problem for case in CASES for problem in case.problems]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("raw", "complaint"), [
    ({"id": "x", "script": "1", "output": ["1"]}, "missing keys ['source']"),
    ({"id": "x", "source": " ", "script": "1", "output": ["1"]}, "no source"),
    ({"id": "Bad_Id", "source": "s", "script": "1", "output": ["1"]}, "not kebab-case"),
    ({"id": "x", "source": "s", "script": "1", "output": ["1"], "stdout": []}, "unknown keys ['stdout']"),
    ({"id": "x", "source": "s", "script": "1", "output": [1]}, "output is not a list of strings"),
    ({"id": "x", "source": "s", "script": "1", "output": ["1"], "types": []}, "types and output differ in length"),
    ({"id": "x", "source": "s", "script": "1", "output": ["1"], "versions": ["3.0"]}, "versions must be"),
    ({"id": "x", "source": "s", "script": "1", "output": ["1"], "exit_code": "1"}, "exit_code is not an integer"),
])
def test_malformed_cases_are_reported(raw: dict, complaint: str) -> None:
    problems = check_case("area", raw, 0)
    assert any(complaint in problem for problem in problems), problems


def test_well_formed_case_has_no_problems() -> None:
    raw = {"id": "ok-case", "source": "s", "script": "1", "output": ["1"], "types": ["System.Int32"],
           "versions": ["2.0"], "error_stream": [], "input": ["a"], "exit_code": 0}
    assert check_case("area", raw, 0) == []
