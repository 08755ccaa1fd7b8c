"""Running PowerShell snippets on winsim's interpreter for the language tests (no host: pure language)."""

from __future__ import annotations

from winsim.powershell.engine import Engine, RunResult, make_runtime, to_string

V2, V5 = (2, 0), (5, 1)


def run(script: str, version=V2, input_lines=None) -> RunResult:
    return Engine(make_runtime(version=version)).run(script, input_lines=input_lines)


def out(script: str, version=V2) -> list[str]:
    """The success stream as [string] converts each object; fails on any error."""
    result = run(script, version)
    assert result.terminating is None, result.terminating.message
    assert result.errors == [], [e.message for e in result.errors]
    return [to_string(o) for o in result.output]


def types(script: str, version=V2) -> list[str]:
    result = run(script, version)
    assert result.terminating is None, result.terminating.message
    return [_type_name(o) for o in result.output]


def _type_name(value) -> str:
    from winsim.powershell.semantics.types import full_name_of
    return "$null" if value is None else full_name_of(value)


def failure(script: str, version=V2) -> str:
    """The message of the error that stopped the script."""
    result = run(script, version)
    assert result.terminating is not None, [to_string(o) for o in result.output]
    return result.terminating.message
