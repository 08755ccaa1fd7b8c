"""The public face of winsim's PowerShell: run a script on a Runtime and get its streams back.

    engine = Engine(make_runtime(host, version=(2, 0)))
    result = engine.run(script, input_lines=[...])
    result.output / result.errors / result.terminating / result.exit_code
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field

from winsim.powershell.automation import errors
from winsim.powershell.automation.errors import ErrorRecord
from winsim.powershell.automation.signals import BreakSignal, ContinueSignal, ExitSignal, NotModelled, ReturnSignal
from winsim.powershell.semantics import conversions
from winsim.powershell.semantics.scopes import Frame

__all__ = ["Engine", "NotModelled", "RunResult", "compile_script_block", "coverage_registry", "format_output",
           "make_runtime", "to_string"]


@dataclass
class RunResult:
    output: list[object]
    errors: list[ErrorRecord]
    terminating: ErrorRecord | None
    exit_code: int
    host_output: list[str] = field(default_factory=list)


@dataclass
class PowerShellRuntime:
    """clr.runtime.Runtime for one powershell.exe process."""
    host: object
    process: object
    ps_version: tuple[int, int]
    clr_version: str
    session: object = None


def make_runtime(host=None, *, user=None, version=(2, 0), stdin=b"") -> PowerShellRuntime:
    _load_library()
    process = None
    if host is not None:
        from winsim.host.runtime.context import ProcessContext
        process = ProcessContext.for_logon(host, user, stdin)
    clr_version = _installed_clr(host) if host is not None and version < (3, 0) else \
        "2.0.50727.3603" if version < (3, 0) else "4.0.30319.42000"
    return PowerShellRuntime(host, process, tuple(version), clr_version)


# PowerShell's engine key names the CLR it runs on (RuntimeVersion); the build is the one .NET 3.5 SP1 ships.
_CLR_BUILDS = {"v2.0.50727": "2.0.50727.3625", "v4.0.30319": "4.0.30319.42000"}


def _installed_clr(host) -> str:
    from winsim.host.osinfo import POWERSHELL_ENGINE_KEYS
    for key in POWERSHELL_ENGINE_KEYS:
        try:
            runtime = host.registry.read(key, "RuntimeVersion")
        except Exception:
            runtime = None
        if runtime:
            return _CLR_BUILDS.get(str(runtime), str(runtime).lstrip("v"))
    return _CLR_BUILDS["v2.0.50727"]


def _load_library() -> None:
    with contextlib.suppress(ImportError):
        import winsim.powershell.clr.library  # noqa: F401 - fills the type registry


def to_string(value) -> str:
    return conversions.to_string(value)


def format_output(objects) -> str:
    """Out-Default for the types a script writes: each object on its own line ([string] of it)."""
    return "".join(conversions.to_string(o, nested=True) + "\r\n" for o in objects)


def compile_script_block(text: str):
    from winsim.powershell.language.compiler import compile_source
    return compile_source(text)


def coverage_registry() -> dict[str, set[int]]:
    """Statement start lines executed so far, per source text (every engine of this process)."""
    from winsim.powershell.language.compiler import COVERAGE
    return COVERAGE


class Engine:
    # Native programs (`& 'C:\x.exe' /q`, `hostname`): run_program(session, frame, name, args, input_items)
    # returns the program's output objects (stdout lines as str) and calls session.set_last_exit_code(code).
    # The host runtime wires it; unset, running a program raises NotModelled.
    run_program = None

    def __init__(self, runtime) -> None:
        self.runtime = runtime

    @property
    def coverage(self) -> dict[str, set[int]]:
        return coverage_registry()

    def run(self, script: str, *, input_lines: list[str] | None = None) -> RunResult:
        from winsim.powershell.session import Session
        session = Session(self.runtime, self)
        self.runtime.session = session
        frame = Frame(session.global_scope, session, iter(list(input_lines)) if input_lines is not None else None,
                      self.runtime)
        session.frames.append(frame)
        out: list = []
        terminating = None
        exit_code = 0
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20000))
        try:
            definition = compile_script_block(script)
            check_version(definition, session.version)
            for block in (definition.begin, definition.process, definition.end):
                if block is not None:
                    block(frame, out)
        except ExitSignal as signal:
            out.extend(signal.partial)
            exit_code = signal.code
        except errors.PSError as error:
            out.extend(error.partial)
            terminating = errors.worded_for(error, session.version).record
            session.record_error(error.record)
            # A -Command text PowerShell cannot parse runs nothing and exits 0 before 5.0 (fixed in 5.0: 1).
            exit_code = 0 if isinstance(error.record.exception, errors.ParseException) and \
                session.version < (5, 0) else 1
        except (BreakSignal, ContinueSignal) as signal:
            out.extend(signal.partial)  # break/continue with no loop around: the script ends quietly
        except ReturnSignal:
            pass
        else:
            exit_code = 0 if session.succeeded else 1  # powershell.exe -Command: $? of the last statement
        finally:
            sys.setrecursionlimit(limit)
        return RunResult(out, list(session.errors), terminating, exit_code, session.host_output)


def check_version(definition, version) -> None:
    for needed, what, _line in getattr(definition, "version_features", []):
        if version < needed:
            raise errors.terminating(errors.RuntimeException(
                f"Unexpected token '{what}' in expression or statement.", error_id="UnexpectedToken",
                category="ParserError"))
