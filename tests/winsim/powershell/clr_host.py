"""Helpers for the tests of the host-backed .NET types: a real winsim host, a minimal Runtime for one process on
it, and calls through the type registry exactly as the interpreter's binder makes them (arguments already of
the parameter types)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import winsim.powershell.clr.library  # noqa: F401  (registers the class library)
from tests.winsim.host_fixtures import new_host
from winsim.host import Host
from winsim.host.runtime.context import ProcessContext
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import ClrException
from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.values import ByteArray


@dataclass
class Runtime:
    host: Host
    process: ProcessContext
    ps_version: tuple[int, int] = (2, 0)
    clr_version: str = "2.0.50727.3603"


def make_runtime(tmp_path: Path, profile: str = "no-iis", **overrides) -> Runtime:
    host = new_host(tmp_path / "host", profile, **overrides)
    return Runtime(host, ProcessContext.for_logon(host, None))


def static(rt: Runtime, type_name: str, name: str, *args):
    return interop.call_static(rt, type_name, name, *args)


def new(rt: Runtime, type_name: str, *args):
    return interop.construct(rt, type_name, *args)


def call(rt: Runtime, target, name: str, *args):
    return interop.call(rt, target, name, *args)


def prop(rt: Runtime, target, name: str):
    return interop.get(rt, target, name)


def set_prop(rt: Runtime, target, name: str, value) -> None:
    from winsim.powershell.clr.typesystem import type_of
    type_of(target).find_property(name, static=False).setter(target, rt, value)


def enum(type_name: str, name: str) -> EnumValue:
    from winsim.powershell.clr.typesystem import REGISTRY
    return EnumValue(REGISTRY.get(type_name).full_name, REGISTRY.get(type_name).enum.parse(name))


def raises(clr_name: str, message: str | None = None, *, hresult: int | None = None):
    """pytest.raises for a .NET exception of exactly this type, checking its Message and HResult."""
    class _Check:
        def __enter__(self):
            self.ctx = pytest.raises(ClrException)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.ctx.__exit__(*exc)
            error = self.info.value
            assert error.clr_full_name == clr_name, f"{error.clr_full_name}: {error.message}"
            if message is not None:
                assert interop.get(None, error, "Message") == message
            if hresult is not None:
                assert error.hresult == hresult
            return handled

    return _Check()


def data(text: str | bytes) -> ByteArray:
    return ByteArray(text.encode() if isinstance(text, str) else text)
