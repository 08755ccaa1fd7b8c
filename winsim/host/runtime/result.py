"""What a command gives back, and how the runtime says something is outside the model."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CommandResult:
    stdout: bytes
    stderr: bytes
    rc: int
    kind: str   # "raw", "put_file", "fetch_file", "agent", "unmodelled", ...


@dataclass
class Output:
    """What a program run inside a command wrote (text) and its exit code."""
    stdout: str = ""
    stderr: str = ""
    rc: int = 0

    def extend(self, other: Output) -> None:
        self.stdout += other.stdout
        self.stderr += other.stderr
        self.rc = other.rc


class Unmodelled(Exception):
    """The command (or a part of it) is something this simulated host does not model."""

    def __init__(self, fragment: str, detail: str = "") -> None:
        super().__init__(fragment)
        self.fragment = fragment
        self.detail = detail

    def message(self) -> str:
        fragment = self.fragment if len(self.fragment) <= 200 else self.fragment[:200] + "..."
        return f"winsim: '{fragment}' is not modelled on this simulated host{self.detail}"


def unmodelled_result(error: Unmodelled) -> CommandResult:
    return CommandResult(b"", (error.message() + "\r\n").encode("utf-8"), 1, "unmodelled")
