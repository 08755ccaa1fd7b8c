"""The setup programs as programs of a simulated host, and run_setup, the same run as a Python call.

- Option Pack `setup.exe /u:<answer file>`: its master INF (setup.inf), component INFs, helper DLLs and files
  all come from the folder setup.exe is in; it logs to %windir%\\iis4setup.log.
- Windows 2000/2003 `sysocmgr.exe /i:<master INF> /u:<answer file> [/q] [/r] [/x] [/c] [/n]`: component INFs
  from the master INF's folder (%windir%\\inf), files from `Setup\\SourcePath` plus the platform folder
  (i386, alpha, amd64, ia64), helper DLLs from there or %windir%\\system32; it logs to %windir%\\ocmgr.log.
Both are GUI programs: they print nothing; the exit code is 0 or the Win32 error that stopped setup.
Interactive runs (no /u:) and other switches are outside the model and refused as such.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from winsim.host import pe
from winsim.host.errors import ERROR_BAD_EXE_FORMAT, ERROR_FILE_NOT_FOUND
from winsim.host.paths import WinPath, parse
from winsim.host.runtime.commandline import split_arguments
from winsim.host.runtime.context import ProcessContext
from winsim.host.runtime.result import Output, Unmodelled
from winsim.setup.catalog import MASTER_INF
from winsim.setup.engine import SetupResult, SetupRun, run_engine
from winsim.setup.errors import error_text
from winsim.setup.timing import SetupTiming

if TYPE_CHECKING:
    from winsim.host import Host

SOURCE_PATH_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Setup"
PLATFORM_FOLDERS = {"x86": "i386", "alpha": "alpha", "amd64": "amd64", "ia64": "ia64"}
OPTION_PACK_LOG = "iis4setup.log"
OC_MANAGER_LOG = "ocmgr.log"
_SWITCHES = {"setup.exe": ({"u"}, {"u"}), "sysocmgr.exe": ({"i", "u", "q", "r", "x", "c", "n"}, {"i", "u"})}


def is_setup_program(program: WinPath) -> bool:
    return program.name.casefold() in _SWITCHES


def _switches(program: WinPath, arguments: str) -> dict[str, str]:
    allowed, required = _SWITCHES[program.name.casefold()]
    found: dict[str, str] = {}
    for argument in split_arguments(arguments):
        name, _, value = argument[1:].partition(":")
        key = name.casefold()
        takes_path = key in ("i", "u")
        if argument[:1] not in ("/", "-") or key not in allowed or takes_path != bool(value):
            raise Unmodelled(f"{program.name} {arguments}".strip(),
                             f" ({program.name} is modelled with {_usage(program)})")
        found[key] = value
    if not required <= set(found):
        raise Unmodelled(f"{program.name} {arguments}".strip(),
                         f" (only unattended setup is: {program.name} {_usage(program)})")
    return found


def _usage(program: WinPath) -> str:
    return "/u:<answer file>" if program.name.casefold() == "setup.exe" else (
        "/i:<master INF> /u:<answer file> [/q] [/r] [/x] [/c] [/n]")


def setup_run(ctx: ProcessContext, program: WinPath, arguments: str) -> SetupRun:
    """What a setup program's command line asks for on this host."""
    switches = _switches(program, arguments)
    host = ctx.host
    info = pe.read_pe(host.fs.read_file(program, length=pe.pe_header_length()))
    machine = info.machine if info else host.architecture.pe_machine
    windir = ctx.env["SystemRoot"].rstrip("\\")
    answer = str(parse(switches["u"], ctx.cwd))
    command_line = f"{program} {arguments}".strip()
    if program.name.casefold() == "setup.exe":
        folder = str(program.parent)
        return SetupRun(command_line, machine, f"{folder}\\{MASTER_INF}", folder, answer,
                        f"{windir}\\{OPTION_PACK_LOG}", option_pack=True)
    source = host.registry.read(SOURCE_PATH_KEY, "SourcePath")
    platform = PLATFORM_FOLDERS.get(host.architecture.key, host.architecture.key)
    source_dir = f"{str(parse(str(source), ctx.cwd)).rstrip(chr(92))}\\{platform}" if source else ""
    return SetupRun(command_line, machine, str(parse(switches["i"], ctx.cwd)), source_dir, answer,
                    f"{windir}\\{OC_MANAGER_LOG}", option_pack=False, helper_dirs=(f"{windir}\\system32",))


def run_setup_program(ctx: ProcessContext, program: WinPath, arguments: str,
                      timing: SetupTiming | None = None) -> Output:
    """The host runtime's handler for setup.exe and sysocmgr.exe (they print nothing: see the setup log)."""
    run = setup_run(ctx, program, arguments)
    return Output(rc=run_engine(ctx.host, run, timing or SetupTiming.from_environment()).exit_code)


def run_setup(host: Host, program: str, arguments: str, *, timing: SetupTiming | None = None,
              user: str | None = None) -> SetupResult:
    """Run setup.exe or sysocmgr.exe on `host` to its end, as a process started with this command line would.
    `program` is its path on the host (or a name found on the Path); `timing` defaults to the environment's
    (WINSIM_SETUP_TIME_SCALE). A program that is missing or not runnable here gives exit code 2 or 193."""
    with host.lock:
        ctx = ProcessContext.for_logon(host, user)
        found = ctx.find_program(program)
        if found is None:
            return SetupResult(ERROR_FILE_NOT_FOUND, f"{program}: {error_text(ERROR_FILE_NOT_FOUND)}")
        if not ctx.can_execute(found):
            return SetupResult(ERROR_BAD_EXE_FORMAT, error_text(ERROR_BAD_EXE_FORMAT, str(found)))
        if not is_setup_program(found):
            raise Unmodelled(f"{found.name} {arguments}".strip(), " (run_setup runs setup.exe or sysocmgr.exe)")
        run = setup_run(ctx, found, arguments)
    return run_engine(host, run, timing or SetupTiming.from_environment())
