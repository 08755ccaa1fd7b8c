"""Scopes and the execution frame (ABOUT Scopes): every function, script block and script runs in a new
scope whose parent is the caller's; reads search outwards, assignments write the current scope unless a
scope modifier (`$script:`, `$global:`, `$local:`) says otherwise; functions live in scopes too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_MISSING = object()


class Scope:
    __slots__ = ("constraints", "functions", "parent", "script", "strict", "variables")

    def __init__(self, parent: Scope | None = None, *, script: Scope | None = None) -> None:
        self.parent = parent
        self.variables: dict[str, Any] = {}
        self.functions: dict[str, Any] = {}
        self.constraints: dict[str, Any] | None = None   # type-constrained variables ([int]$x = ...)
        self.strict: int | None = None   # Set-StrictMode here: its major version, 0 for -Off; None: inherited
        # The script scope a `$script:` name refers to: the nearest scope made for a script.
        self.script = script if script is not None else (parent.script if parent is not None else self)

    def lookup(self, name: str, default=None):
        scope = self
        while scope is not None:
            value = scope.variables.get(name, _MISSING)
            if value is not _MISSING:
                return value
            scope = scope.parent
        return default

    def owner(self, name: str) -> Scope | None:
        scope = self
        while scope is not None:
            if name in scope.variables:
                return scope
            scope = scope.parent
        return None

    def strict_level(self) -> int:
        scope = self
        while scope is not None:
            if scope.strict is not None:
                return scope.strict
            scope = scope.parent
        return 0

    def global_scope(self) -> Scope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def find_function(self, name: str):
        scope = self
        while scope is not None:
            found = scope.functions.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None


@dataclass(slots=True)
class Frame:
    """What a compiled closure runs against: the current scope, the engine session, and pipeline input."""
    scope: Scope
    session: Any                        # engine.Session: runtime, version, streams, coverage
    input: Any = None                   # $input: an iterator of the pipeline/stdin items, or None
    rt: Any = None                      # the session's Runtime (what member calls receive), kept at hand
    bound: Any = None                   # parameters bound by the caller ($PSBoundParameters), name -> (param, value)

    def child(self, *, input=None, scope: Scope | None = None) -> Frame:
        return Frame(scope if scope is not None else Scope(self.scope), self.session, input, self.rt)
