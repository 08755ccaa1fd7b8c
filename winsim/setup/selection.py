"""Which subcomponents setup installs or removes: its mode, the answer file and what is installed.

Option Pack setup (setup.exe) takes its mode from the host, as the KB sample files describe:
- fresh (no IIS): `FreshMode` Minimal / Typical (default) select the subcomponents whose INF `Modes` hold 0 / 1;
  Custom takes `[Components]`, an unnamed subcomponent following `Modes` 3;
- maintenance (IIS 4.0 or later, `InetStp\\MajorVersion` >= 4): `MaintanenceMode` must be given (else setup
  fails); AddRemove installs what is ON and missing, removes what is OFF and installed; RemoveAll removes all;
- upgrade (IIS 2.0/3.0: `InetStp\\MajorVersion` < 4 or `Inetsrv\\CurrentVersion`): UpgradeOnly (default)
  reinstalls what is installed; AddExtraComps also installs what `[Components]` turns ON.
OC Manager (sysocmgr.exe) always follows `[Components]` the way AddRemove does.
A subcomponent whose `Needs` will not be installed is skipped; removing one removes those that need it.
"""

from __future__ import annotations

from dataclasses import dataclass

from winsim.setup.answer import AnswerFile
from winsim.setup.errors import ERROR_INVALID_PARAMETER, SetupError

INETSTP_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\InetStp"
IIS3_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Inetsrv\CurrentVersion"
FRESH, MAINTENANCE, UPGRADE, COMPONENTS = "fresh", "maintenance", "upgrade", "components"
INSTALL, REMOVE = "install", "remove"
_FRESH_MODE_NUMBERS = {"Minimal": 0, "Typical": 1, "Custom": 3}


@dataclass(frozen=True)
class SubcomponentState:
    name: str
    modes: frozenset[int]
    needs: tuple[str, ...]
    installed: bool


def setup_mode(registry) -> str:
    """The mode Option Pack setup finds the host in."""
    major = registry.read(INETSTP_KEY, "MajorVersion")
    if isinstance(major, int) and major >= 4:
        return MAINTENANCE
    if major is not None or registry.key_exists(IIS3_KEY):
        return UPGRADE
    return FRESH


def describe_mode(mode: str, answer: AnswerFile) -> str:
    detail = {FRESH: f"FreshMode={answer.fresh_mode or 'Typical'}",
              MAINTENANCE: f"MaintanenceMode={answer.maintenance_mode}",
              UPGRADE: f"UpgradeMode={answer.upgrade_mode or 'UpgradeOnly'}",
              COMPONENTS: "[Components]"}[mode]
    return f"{mode} ({detail})"


def decide(mode: str, answer: AnswerFile, states: list[SubcomponentState], answer_name: str
           ) -> tuple[dict[str, str], list[str]]:
    """({subcomponent: INSTALL | REMOVE} for those that change, notes for the log about those skipped)."""
    wanted = {s.name: _wanted(mode, answer, s, answer_name) for s in states}
    by_name = {s.name: s for s in states}
    notes: list[str] = []
    removing = {n for n, w in wanted.items() if w == REMOVE}
    changed = True
    while changed:  # removing a subcomponent removes every installed one that needs it
        changed = False
        for state in states:
            if state.installed and state.name not in removing and any(n in removing for n in state.needs):
                removing.add(state.name)
                wanted[state.name] = REMOVE
                notes.append(f"{state.name}: removed because what it needs is removed")
                changed = True
    for state in states:
        if wanted[state.name] != INSTALL:
            continue
        missing = [n for n in state.needs if not _will_be_installed(by_name.get(n), wanted)]
        if missing:
            wanted[state.name] = None
            notes.append(f"{state.name}: not installed because it needs {', '.join(missing)}")
    return {n: w for n, w in wanted.items() if w}, notes


def _will_be_installed(state: SubcomponentState | None, wanted: dict[str, str | None]) -> bool:
    if state is None:
        return False
    choice = wanted.get(state.name)
    return choice == INSTALL or (state.installed and choice != REMOVE)


def _wanted(mode: str, answer: AnswerFile, state: SubcomponentState, answer_name: str) -> str | None:
    selected = answer.selection(state.name)
    if mode == FRESH:
        fresh = answer.fresh_mode or "Typical"
        if fresh == "Custom" and selected is not None:
            return INSTALL if selected else None
        return INSTALL if _FRESH_MODE_NUMBERS[fresh] in state.modes else None
    if mode == MAINTENANCE:
        if answer.maintenance_mode is None:
            raise SetupError(ERROR_INVALID_PARAMETER,
                             f"{answer_name}: setup is in maintenance mode and the answer file does not say "
                             "MaintanenceMode (AddRemove or RemoveAll)", inf=answer_name)
        if answer.maintenance_mode == "RemoveAll":
            return REMOVE if state.installed else None
        return _add_remove(state, selected)
    if mode == UPGRADE:
        if state.installed:
            return INSTALL
        return INSTALL if answer.upgrade_mode == "AddExtraComps" and selected else None
    return _add_remove(state, selected)


def _add_remove(state: SubcomponentState, selected: bool | None) -> str | None:
    if selected is True and not state.installed:
        return INSTALL
    if selected is False and state.installed:
        return REMOVE
    return None
