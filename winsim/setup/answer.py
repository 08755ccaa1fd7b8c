"""Unattended answer files (`setup.exe /u:FILE`, `sysocmgr /u:FILE`), read with the INF syntax.

- `[Global]`: `FreshMode = Minimal|Typical|Custom`, `MaintanenceMode = AddRemove|RemoveAll` (the Option
  Pack's spelling; `MaintenanceMode` is accepted too), `UpgradeMode = UpgradeOnly|AddExtraComps`.
- `[Components]`: `<subcomponent> = ON|OFF` (any case). Lines that are not `name = ON|OFF` (the published
  samples hold a `DAC_RDS_CORE ON` typo) are ignored, as setup ignores them.
- `[InternetServer]` (Windows 2000/2003) and `[iis]` (Option Pack): `PathWWWRoot`, `PathFTPRoot`, ...
"""

from __future__ import annotations

from dataclasses import dataclass, field

from winsim.setup.inf import InfError, parse_inf

FRESH_MODES = ("Minimal", "Typical", "Custom")
MAINTENANCE_MODES = ("AddRemove", "RemoveAll")
UPGRADE_MODES = ("UpgradeOnly", "AddExtraComps")
_MODE_KEYS = {"freshmode": ("FreshMode", FRESH_MODES),
              "maintanencemode": ("MaintanenceMode", MAINTENANCE_MODES),
              "maintenancemode": ("MaintanenceMode", MAINTENANCE_MODES),
              "upgrademode": ("UpgradeMode", UPGRADE_MODES)}


class AnswerError(InfError):
    """An answer file setup cannot follow (unreadable, or a mode it does not know)."""


@dataclass(frozen=True)
class AnswerFile:
    fresh_mode: str | None = None
    maintenance_mode: str | None = None
    upgrade_mode: str | None = None
    components: dict[str, bool] = field(default_factory=dict)      # case-folded subcomponent -> ON
    internet_server: dict[str, str] = field(default_factory=dict)  # case-folded key -> value

    def selection(self, subcomponent: str) -> bool | None:
        """ON (True), OFF (False) or not named (None)."""
        return self.components.get(subcomponent.casefold())

    def path(self, key: str) -> str | None:
        """A path from [InternetServer] or [iis], e.g. path("PathWWWRoot")."""
        return self.internet_server.get(key.casefold())


def parse_answer(text: str, name: str) -> AnswerFile:
    inf = parse_inf(text, name)
    modes: dict[str, str] = {}
    global_section = inf.section("Global")
    for line in global_section.lines if global_section else ():
        known = _MODE_KEYS.get((line.key or "").casefold())
        if known is None:
            continue
        attribute, allowed = known
        value = next((m for m in allowed if m.casefold() == line.value.casefold()), None)
        if value is None:
            raise AnswerError(f"{name} line {line.number}: {line.key} = {line.value!r} is not one of "
                              f"{', '.join(allowed)}")
        modes[attribute] = value
    components: dict[str, bool] = {}
    section = inf.section("Components")
    for line in section.lines if section else ():
        state = line.value.casefold()
        if line.key and state in ("on", "off"):
            components[line.key.casefold()] = state == "on"
    paths: dict[str, str] = {}
    for title in ("iis", "InternetServer"):  # [InternetServer] wins where both name a path
        section = inf.section(title)
        for line in section.lines if section else ():
            if line.key:
                paths[line.key.casefold()] = line.value
    return AnswerFile(modes.get("FreshMode"), modes.get("MaintanenceMode"), modes.get("UpgradeMode"),
                      components, paths)
