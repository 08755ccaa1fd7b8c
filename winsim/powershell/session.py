"""One powershell.exe run: its global scope, streams, error handling state and command dispatch."""

from __future__ import annotations

from winsim.powershell.automation import errors
from winsim.powershell.automation.cmdlets import find_cmdlet, run_cmdlet
from winsim.powershell.automation.pipeline_input import InputEnumerator
from winsim.powershell.automation.scriptblock import Argument, FunctionInfo, ScriptBlock, invoke
from winsim.powershell.automation.signals import NotModelled
from winsim.powershell.semantics import conversions
from winsim.powershell.semantics.collections import new_hashtable
from winsim.powershell.semantics.scopes import Frame, Scope

PSHOME = r"C:\WINDOWS\system32\WindowsPowerShell\v1.0"


class Session:
    def __init__(self, rt, engine) -> None:
        self.rt = rt
        self.engine = engine
        self.version: tuple[int, int] = getattr(rt, "ps_version", (2, 0))
        self.global_scope = Scope()
        self.global_scope.variables.update({
            "erroractionpreference": "Continue", "warningpreference": "Continue",
            "verbosepreference": "SilentlyContinue", "debugpreference": "SilentlyContinue", "ofs": " ",
            "lastexitcode": None,
        })
        self.errors: list = []           # the error stream (non-terminating errors written)
        self.error_log: list = []        # $Error, newest first
        self.host_output: list[str] = []
        self.streams: dict[str, list] = {}
        self.handlers = 0                # try bodies and trap-covered statements now running
        self.frames: list[Frame] = []
        self.strict = None
        self.failed = False              # an error was written during the current statement
        self.succeeded = True            # $?: the last statement ran without error
        self._automatic: dict = {}

    # -- errors ---------------------------------------------------------------------------------------------------
    def stops(self, frame: Frame) -> bool:
        preference = frame.scope.lookup("erroractionpreference")
        return (isinstance(preference, str) and preference.lower() == "stop") or \
            getattr(preference, "value", None) == 1

    def silent(self, frame: Frame) -> bool:
        preference = frame.scope.lookup("erroractionpreference")
        return isinstance(preference, str) and preference.lower() == "silentlycontinue"

    def record_error(self, record) -> None:
        if not self.error_log or self.error_log[0] is not record:
            self.error_log.insert(0, record)
            del self.error_log[256:]

    def write_error(self, frame: Frame, record, action: str | None = None) -> None:
        """A non-terminating error (or one a statement boundary absorbed): $Error, and the error stream unless
        the preference is SilentlyContinue (Ignore, 3.0+, leaves no trace at all)."""
        self.failed = True
        if action is None:
            action = conversions.to_string(frame.scope.lookup("erroractionpreference")).lower()
        if action == "ignore":
            return
        self.record_error(record)
        if action in ("silentlycontinue", "ignore"):
            return
        self.errors.append(record)

    # -- variables ------------------------------------------------------------------------------------------------
    def scope_for(self, frame: Frame, name: str) -> Scope:
        return frame.scope.script if name == "script" else self.global_scope

    def environment_variable(self, name: str):
        process = getattr(self.rt, "process", None)
        if process is None:
            return None
        return process.env.get(name)

    def set_environment_variable(self, name: str, value) -> None:
        process = getattr(self.rt, "process", None)
        if process is None:
            raise NotModelled("environment variables without a host")
        if value is None or value == "":
            process.env.pop(name, None) if hasattr(process.env, "pop") else None
        else:
            process.env[name] = conversions.to_string(value)

    def input_enumerator(self, frame: Frame):
        if frame.input is None:
            frame.input = iter(())
        if not isinstance(frame.input, InputEnumerator):
            frame.input = InputEnumerator(frame.input)
        return frame.input

    def automatic(self, name: str, frame: Frame):
        if name in frame.scope.variables:
            return frame.scope.variables[name]
        if name == "error":
            from winsim.powershell.clr.typesystem import REGISTRY
            array_list = REGISTRY.get("System.Collections.ArrayList").py_types[0]()
            for record in self.error_log:
                array_list.Add(record) if hasattr(array_list, "Add") else array_list.append(record)
            return array_list
        if name == "psversiontable":
            if name not in self._automatic:
                table = new_hashtable()
                major, minor = self.version
                table["PSVersion"] = _version_object(getattr(self.rt, "ps_version_text", None) or f"{major}.{minor}")
                table["CLRVersion"] = _version_object(getattr(self.rt, "clr_version", "2.0.50727.3603"))
                table["PSCompatibleVersions"] = None
                table["BuildVersion"] = _version_object("6.0.6002.18111" if major == 2 else "10.0.14409.1005")
                table["WSManStackVersion"] = _version_object("2.0" if major == 2 else "3.0")
                table["PSRemotingProtocolVersion"] = _version_object("2.1" if major == 2 else "2.3")
                table["SerializationVersion"] = _version_object("1.1.0.1")
                self._automatic[name] = table
            return self._automatic[name]
        if name == "pshome":
            root = self.environment_variable("SystemRoot") or r"C:\WINDOWS"
            return root + r"\system32\WindowsPowerShell\v1.0"
        if name == "pid":
            return getattr(getattr(self.rt, "process", None), "pid", 0) or 4242
        if name == "home":
            return self.environment_variable("USERPROFILE")
        return frame.scope.lookup(name)

    # -- commands -------------------------------------------------------------------------------------------------
    def set_last_exit_code(self, code: int) -> None:
        """What a native program's end sets: $LASTEXITCODE, and $? (false when the code is not 0)."""
        self.global_scope.variables["lastexitcode"] = int(code)
        if code != 0:
            self.failed = True

    def bound_parameters(self, frame: Frame):
        """$PSBoundParameters: the parameters the caller bound (not defaults), made when first read."""
        variables = frame.scope.variables
        table = variables.get("psboundparameters")
        if table is None:
            from winsim.powershell.clr.typesystem import REGISTRY
            table = REGISTRY.get("System.Collections.Hashtable").py_types[0].case_insensitive()
            for param, value in (frame.bound or {}).values():
                table[param.name] = variables.get(param.key, value)
            variables["psboundparameters"] = table
        return table

    def current_frame(self) -> Frame:
        return self.frames[-1]

    def invoke_command(self, frame: Frame, target, arguments: list[Argument], items, *, dot: bool = False,
                       line: int | None = None) -> list:
        if isinstance(target, ScriptBlock):
            if target.closure is not None:
                captured = Scope(frame.scope)
                captured.variables.update(target.closure)
                frame = Frame(captured, self, frame.input, frame.rt)
            return invoke(frame, target.definition, arguments, items, dot=dot)
        if isinstance(target, FunctionInfo):
            return invoke(frame, target.definition, arguments, items, dot=dot)
        name = conversions.to_string(target)
        function = frame.scope.find_function(name.lower())
        if function is not None:
            return invoke(frame, function.definition, arguments, items, dot=dot)
        cmdlet = find_cmdlet(name)
        if cmdlet is not None:
            return run_cmdlet(frame, cmdlet, arguments, items)
        if any(c in name for c in "\\/:") or name.lower().endswith((".exe", ".com", ".bat", ".cmd")):
            run_program = getattr(self.engine, "run_program", None)
            if run_program is None:
                raise NotModelled(f"running the program {name!r}", line)
            return run_program(self, frame, name, [a.value if a.name is None else "-" + a.name for a in arguments],
                               None if items is None else list(items))
        run_program = getattr(self.engine, "run_program", None)
        if run_program is not None and getattr(self.rt, "process", None) is not None and \
                self.rt.process.find_program(name) is not None:
            return run_program(self, frame, name, [a.value if a.name is None else "-" + a.name for a in arguments],
                               None if items is None else list(items))
        from winsim.powershell.automation.known_commands import is_windows_powershell_command
        if is_windows_powershell_command(name):
            raise NotModelled(f"the command {name} (Windows PowerShell 2.0 has it)", line)
        raise errors.command_not_found(name)


def _version_object(text: str):
    from winsim.powershell.semantics.types import resolve
    version_type = resolve("System.Version")
    if version_type is None or version_type.clr is None:
        return text
    from winsim.powershell.semantics import binder
    return binder.construct(version_type, [text], None)
