"""The OC Manager setup engine: reads the master INF, the component INFs and the answer file, then installs and
removes subcomponents on a Host as those files say.

A run, in order (any failure stops it; see records.py for where it is recorded):
1. the answer file and the master INF (`[Components]`: `name = helper DLL, entry, component INF, , flags`;
   component INFs are read from the master INF's folder);
2. each setup helper DLL is loaded from the installation source (then from the front end's other helper
   folders): missing -> error 2; not a DLL of the setup program's own PE machine -> error 193;
3. DIRIDs: 10 %windir%, 11 system32, 12 drivers, 17 inf, 24 the system drive's root, and the two the helper
   sets: 32768 = the IIS install path (`InetStp\\InstallPath`, else %windir%\\system32\\inetsrv) and 32769 =
   the Inetpub folder (parent of `InetStp\\PathWWWRoot`, else of the answer file's PathWWWRoot, else
   %SystemDrive%\\Inetpub);
4. what to install or remove (selection.py), what each means (plan.py), then checks before any change: every
   source file present (error 2 naming it), room on each drive (error 112);
5. the changes, paced by SetupTiming (the host lock is held for one operation at a time, and the host saved
   before each pause), then the OC Manager record and the services (apply.py).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from winsim.host import pe
from winsim.host.environment import EnvironmentBlock, expand
from winsim.host.errors import ERROR_DISK_FULL, ERROR_INVALID_PARAMETER, Win32Error
from winsim.host.paths import parse
from winsim.host.service_images import load_dll
from winsim.setup.answer import AnswerFile, parse_answer
from winsim.setup.apply import (
    FILE_OPERATIONS,
    apply_operation,
    auto_start_services,
    start_services,
    stop_holders,
)
from winsim.setup.errors import (
    ERROR_ALREADY_EXISTS,
    ERROR_FILE_NOT_FOUND,
    ERROR_INVALID_DATA,
    SetupError,
    error_text,
)
from winsim.setup.inf import InfError, InfFile, decode_inf, parse_inf
from winsim.setup.plan import CopyFile, DirIds, Operation, Planner
from winsim.setup.records import SetupLog, clear_errors, record_error, record_state, recorded_state
from winsim.setup.selection import (
    COMPONENTS,
    INETSTP_KEY,
    INSTALL,
    REMOVE,
    SubcomponentState,
    decide,
    describe_mode,
    setup_mode,
)
from winsim.setup.timing import SetupTiming

if TYPE_CHECKING:
    from winsim.host import Host

# One setup at a time per host, as OC Manager's mutex allows.
_RUNNING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_RUNNING_GUARD = threading.Lock()


@dataclass(frozen=True)
class SetupRun:
    """One run of a setup front end, as its command line and the host determine it."""
    command_line: str
    machine: int                    # PE machine of the setup program: the helper DLLs must match it
    master_inf: str
    source_dir: str                 # where files and helper DLLs come from
    answer_file: str
    log_file: str
    option_pack: bool               # True: setup.exe's modes; False: OC Manager follows [Components]
    helper_dirs: tuple[str, ...] = ()   # further folders a helper DLL is looked for in


@dataclass
class SetupResult:
    exit_code: int
    error: str | None = None
    log: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)   # "install iis_smtp", "remove iis_nntp"


@dataclass(frozen=True)
class Step:
    """Installing or removing one subcomponent: what its INF says to do."""
    action: str                     # INSTALL or REMOVE
    subcomponent: str
    inf_path: str
    operations: list[Operation]


@dataclass
class _Component:
    key: str
    inf_path: str
    planner: Planner


def run_engine(host: Host, run: SetupRun, timing: SetupTiming) -> SetupResult:
    """Run setup to its end (blocking); its exit code is 0 or the Win32 error that stopped it."""
    log = SetupLog(run.log_file)
    log.write(f"Setup started: {run.command_line}")
    if not _enter(host):
        log.write(f"Another setup is running on this computer; exit code {ERROR_ALREADY_EXISTS}")
        with host.transaction():
            log.flush(host)
        return SetupResult(ERROR_ALREADY_EXISTS, "Another setup is running.", log.lines)
    try:
        timing.starting()
        result = _Session(host, run, timing, log).run()
    finally:
        _leave(host)
    return result


def _enter(host: Host) -> bool:
    with _RUNNING_GUARD:
        if _RUNNING.get(host):
            return False
        _RUNNING[host] = True
        return True


def _leave(host: Host) -> None:
    with _RUNNING_GUARD:
        _RUNNING.pop(host, None)


class _Session:
    def __init__(self, host: Host, run: SetupRun, timing: SetupTiming, log: SetupLog) -> None:
        self.host, self.run_info, self.timing, self.log = host, run, timing, log

    def run(self) -> SetupResult:
        host, log = self.host, self.log
        changed: list[str] = []
        try:
            with host.transaction():
                clear_errors(host)
                steps = self._prepare()
            self._commit(steps, changed)
        except (SetupError, Win32Error) as failure:
            # A Win32Error here is a Windows call setup made without a message of its own for its failure.
            error = failure if isinstance(failure, SetupError) else SetupError(failure.code, str(failure))
            with host.transaction():
                record_error(host, error, self.run_info.master_inf)
                log.write(f"Error {error.code}: {error.message}")
                log.write(f"Setup failed: exit code {error.code}")
                log.flush(host)
            return SetupResult(error.code, error.message, log.lines, changed)
        with host.transaction():
            log.write("Setup finished: exit code 0")
            log.flush(host)
        return SetupResult(0, None, log.lines, changed)

    # -- reading and deciding -------------------------------------------------------------------------------------
    def _read_text(self, path: str, what: str) -> str:
        try:
            return decode_inf(self.host.fs.read_file(path))
        except Win32Error as error:
            raise SetupError(error.code, f"Setup cannot read the {what} {path}: {error_text(error.code)}",
                             inf=path) from error

    def _read_inf(self, path: str, what: str) -> InfFile:
        text = self._read_text(path, what)
        try:
            return parse_inf(text, path)
        except InfError as error:
            raise SetupError(ERROR_INVALID_DATA, str(error), inf=path) from error

    def _prepare(self) -> list[Step]:
        run = self.run_info
        answer_text = self._read_text(run.answer_file, "answer file")
        try:
            answer = parse_answer(answer_text, run.answer_file)
        except InfError as error:
            raise SetupError(ERROR_INVALID_PARAMETER, str(error), inf=run.answer_file) from error
        if not run.source_dir:
            raise SetupError(ERROR_FILE_NOT_FOUND, "Setup has no installation source: Setup\\SourcePath is not set")
        components = self._read_components(DirIds(self._dirids(answer)))
        mode = setup_mode(self.host.registry) if run.option_pack else COMPONENTS
        self.log.write(f"Setup mode: {describe_mode(mode, answer)}")
        steps = [step for component in components for step in self._steps(component, mode, answer)]
        steps.sort(key=lambda step: step.action != REMOVE)  # removals first, each list in INF order
        self._check(steps)
        return steps

    def _read_components(self, dirids: DirIds) -> list[_Component]:
        """The master INF's components, their helper DLLs loaded and their INFs read."""
        run = self.run_info
        master = self._read_inf(run.master_inf, "master INF")
        self.log.write(f"Master INF: {run.master_inf}; installation source: {run.source_dir}")
        section = master.section("Components")
        if section is None:
            raise SetupError(ERROR_INVALID_DATA, f"{run.master_inf}: section [Components] is missing",
                             inf=run.master_inf)
        folder = run.master_inf.rsplit("\\", 1)[0]
        components: list[_Component] = []
        loaded: set[str] = set()
        for line in section.lines:
            if not line.key or len(line.fields) < 3 or not line.fields[2]:
                raise SetupError(ERROR_INVALID_DATA, f"{run.master_inf} line {line.number}: a component needs "
                                 "a helper DLL, an entry point and an INF", inf=run.master_inf)
            helper, inf_name = line.fields[0], line.fields[2]
            if helper and helper.casefold() not in loaded:
                self._load_helper(helper, line.key)
                loaded.add(helper.casefold())
            inf_path = f"{folder}\\{inf_name}"
            inf = self._read_inf(inf_path, "component INF")
            components.append(_Component(line.key, inf_path, Planner(inf, dirids, run.source_dir)))
        return components

    def _steps(self, component: _Component, mode: str, answer: AnswerFile) -> list[Step]:
        planner = component.planner
        try:
            states = [self._state(planner, name) for name in planner.subcomponents()]
            decisions, notes = decide(mode, answer, states, self.run_info.answer_file)
            for note in notes:
                self.log.write(note)
            steps = []
            for state in states:
                action = decisions.get(state.name)
                if action == REMOVE:
                    steps.append(Step(REMOVE, state.name, component.inf_path, planner.uninstall(state.name)))
                elif action == INSTALL:
                    steps.append(Step(INSTALL, state.name, component.inf_path, planner.install(state.name)))
            return steps
        except SetupError as error:
            raise error.about(inf=component.inf_path, component=component.key) from None

    def _dirids(self, answer: AnswerFile) -> dict[int, str]:
        environment = self.host.environment()
        windir = environment["SystemRoot"].rstrip("\\")
        system_drive = environment.get("SystemDrive", windir[:2])
        iis = self._registry_path("InstallPath", environment) or f"{windir}\\system32\\inetsrv"
        www_root = self._registry_path("PathWWWRoot", environment) or answer.path("PathWWWRoot")
        inetpub = str(parse(www_root).parent) if www_root and parse(www_root).parent else f"{system_drive}\\Inetpub"
        return {10: windir, 11: f"{windir}\\system32", 12: f"{windir}\\system32\\drivers", 17: f"{windir}\\inf",
                24: f"{system_drive}\\", 32768: str(parse(iis)), 32769: inetpub}

    def _registry_path(self, name: str, environment: EnvironmentBlock) -> str | None:
        value = self.host.registry.read(INETSTP_KEY, name)
        return expand(str(value), environment) if value else None

    def _load_helper(self, helper: str, component: str) -> None:
        run = self.run_info
        folders = (run.source_dir, *run.helper_dirs)
        path = next((f"{d}\\{helper}" for d in folders if self.host.fs.is_file(f"{d}\\{helper}")), None)
        if path is None:
            missing = f"{run.source_dir}\\{helper}"
            raise SetupError(ERROR_FILE_NOT_FOUND, f"Setup cannot load the setup helper {missing}: "
                             f"{error_text(ERROR_FILE_NOT_FOUND)}", inf=run.master_inf, component=component)
        try:
            load_dll(self.host.fs, path, run.machine)  # LoadLibrary in the setup program's process
        except Win32Error as error:
            info = pe.read_pe(self.host.fs.read_file(path, length=pe.pe_header_length()))
            found = info.machine_name if info else "not a PE image"
            raise SetupError(error.code, f"Setup cannot load the setup helper {path} ({found}; setup runs as "
                             f"{pe.MACHINE_NAMES.get(run.machine, hex(run.machine))}): "
                             f"{error_text(error.code, path)}", inf=run.master_inf, component=component) from error
        self.log.write(f"Loaded setup helper {path}")

    def _state(self, planner: Planner, name: str) -> SubcomponentState:
        section = planner.section(name)
        try:
            modes = frozenset(int(m) for m in section.fields("Modes"))
        except ValueError as error:
            raise SetupError(ERROR_INVALID_DATA, f"{planner.inf.name} [{name}]: Modes must be numbers") from error
        return SubcomponentState(name, modes, tuple(section.fields("Needs")), self._installed(planner, name))

    def _installed(self, planner: Planner, name: str) -> bool:
        """The OC Manager record; without one (a host set up otherwise), what the INF installs being there."""
        recorded = recorded_state(self.host, name)
        if recorded is not None:
            return recorded
        services = planner.services_added(name)
        if services:
            return all(self.host.services.exists(s) for s in services)
        files = planner.files_installed(name)
        return bool(files) and all(self.host.fs.is_file(f) for f in files)

    def _check(self, steps: list[Step]) -> None:
        """Before any change: every source file there, and room for the files on each drive."""
        fs = self.host.fs
        growth: dict[str, int] = {}
        for step in steps:
            for op in step.operations:
                if not isinstance(op, CopyFile):
                    continue
                source = fs.stat(op.source)
                if source is None or source.is_dir:
                    raise SetupError(ERROR_FILE_NOT_FOUND, f"Setup cannot find the file {op.source} needed by "
                                     f"{step.subcomponent}: {error_text(ERROR_FILE_NOT_FOUND)}",
                                     inf=step.inf_path, component=step.subcomponent)
                existing = fs.stat(op.destination)
                drive = parse(op.destination).drive
                growth[drive] = growth.get(drive, 0) + source.size - (existing.size if existing else 0)
        for drive, needed in growth.items():
            try:
                free = fs.drive(drive).free_bytes
            except Win32Error as error:
                raise SetupError(error.code, f"Setup cannot write to drive {drive}: {error}") from error
            if needed > free:
                raise SetupError(ERROR_DISK_FULL, f"Setup needs {needed} more bytes on drive {drive}: and "
                                 f"{free} are free: {error_text(ERROR_DISK_FULL)}")

    # -- changing the host ----------------------------------------------------------------------------------------
    def _commit(self, steps: list[Step], changed: list[str]) -> None:
        host, log = self.host, self.log
        everything = [op for step in steps for op in step.operations]
        with host.transaction():
            stopped = stop_holders(host, everything, log)
        try:
            for step in steps:
                log.write(f"{'Removing' if step.action == REMOVE else 'Installing'} {step.subcomponent} "
                          f"({step.inf_path})")
                for op in step.operations:
                    with host.lock:
                        try:
                            apply_operation(host, op, log)
                        except SetupError as error:
                            raise error.about(inf=step.inf_path, component=step.subcomponent) from None
                    if isinstance(op, FILE_OPERATIONS) and self.timing.paced:
                        host.save_if_changed()  # what is done so far is on disk while setup works on
                        self.timing.file_done()
                with host.transaction():
                    record_state(host, step.subcomponent, step.action == INSTALL)
                changed.append(f"{step.action} {step.subcomponent}")
        finally:
            with host.transaction():
                start_services(host, [*stopped, *auto_start_services(everything)], log)
