"""$input: an enumerator over the pipeline input (or, at the top of powershell.exe -Command, over stdin's
lines). It can be read once (ABOUT Automatic_Variables#$input)."""

from __future__ import annotations

from winsim.powershell.clr.typesystem import clr_type, getter, method


@clr_type("System.Management.Automation.Runspaces.PipelineReader`1+<GetReadEnumerator>d__0",
          interfaces=("System.Collections.IEnumerator",))
class InputEnumerator:
    def __init__(self, items) -> None:
        self._source = items if isinstance(items, list) else None   # a list can start over (Reset)
        self._items = iter(items) if items is not None else iter(())
        self._current = None

    def __iter__(self):
        return self

    def __next__(self):
        self._current = next(self._items)
        return self._current

    @method("MoveNext", returns="bool")
    def move_next(self, rt):
        try:
            self._current = next(self._items)
        except StopIteration:
            return False
        return True

    @getter("Current", "object")
    def get_current(self, rt):
        return self._current

    @method("Reset")
    def reset(self, rt):
        if self._source is not None:
            self._items = iter(self._source)
            self._current = None
