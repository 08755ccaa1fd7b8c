"""Flow control between compiled statements: Python exceptions the loops, functions and the engine catch."""

from __future__ import annotations


class FlowSignal(Exception):
    """Base of break/continue/return/exit: never an error, never caught by try/catch."""


class BreakSignal(FlowSignal):
    def __init__(self, label: str | None = None) -> None:
        super().__init__(label)
        self.label = label
        self.partial: list = []  # output written before the break left the functions it crossed


class ContinueSignal(FlowSignal):
    def __init__(self, label: str | None = None) -> None:
        super().__init__(label)
        self.label = label
        self.partial: list = []


class ReturnSignal(FlowSignal):
    """`return`: its value was already written to the output; this only leaves the function/script block."""


class ExitSignal(FlowSignal):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code
        self.partial: list = []  # output functions wrote before `exit` unwound them (already streamed)


class NotModelled(Exception):
    """A language construct (or native program call) the interpreter does not model; names the line."""

    def __init__(self, what: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {what} is not modelled" if line else f"{what} is not modelled")
        self.line = line
