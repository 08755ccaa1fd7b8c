# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decides what iis_component does on a host, from the task's arguments and one read of the host.

Decision table, per requested component (SMTP, NNTP):

state=absent
  not installed (its service is not registered)      nothing
  installed                                          back up its data (preserve_data), then remove it
state=present
  not installed                                      install it from ``source``
  installed, service not running, start_services    start it
  installed and running                              nothing
  a backup of its data waits to be restored          restore it (preserve_data), then (re)start

Backups (absent, preserve_data), per data set the removal puts at risk (Mailroot for SMTP,
nntpfile for NNTP, the metabase for either):
  reuse     the recorded backup verifies, its listing (size, last write time) equals the live data
            and the component's service is not running: nothing is copied again
  mirror    otherwise, unless a backup waits to be restored: the backup folder is made an exact
            copy of the live data
  additive  a backup of an earlier removal waits to be restored (the component was reinstalled
            since): nothing in it is replaced; live files it lacks are added, live files that
            differ are saved beside it
A setup run an earlier task started and did not finish recording is finished first.
Anything that makes the run impossible (no installation point, no IIS 4.0, a pending backup that
no longer verifies) fails here, before the host is changed.
"""

from __future__ import annotations

import ntpath
import typing as t
from dataclasses import dataclass, field

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_read import (
    COMPONENTS,
    DATASET_LABELS,
    HostView,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_state import (
    COPYING,
    REMOVED,
    VERIFIED,
    PendingSetup,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.data_backup import (
    MAILROOT,
    METABASE,
    NNTPFILE,
    same_listing,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_paths import expand_environment
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.path_rules import expand_path, refuse_overlaps
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_records import AGENT_STATE_ROOT

PRESENT = "present"
ABSENT = "absent"
DEFAULT_BACKUP_DIR = r"%SystemDrive%\IisHotfix\Backup"
BACKUP_FOLDERS = {MAILROOT: "Mailroot", NNTPFILE: "nntpfile", METABASE: "metabase"}
MIRROR = "mirror"
ADDITIVE = "additive"
REUSE = "reuse"


@dataclass(frozen=True)
class Request:
    names: tuple[str, ...]
    state: str
    source: str | None = None
    preserve_data: bool = True
    backup_dir: str = DEFAULT_BACKUP_DIR
    timeout: int = 3600
    start_services: bool = True
    overrides: t.Mapping[str, str] = field(default_factory=dict)

    def datasets(self) -> tuple[str, ...]:
        """The data sets the requested components own, when data is preserved."""
        if not self.preserve_data:
            return ()
        keys = [key for name in self.names for key in COMPONENTS[name].datasets]
        return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class BackupIntent:
    key: str
    mode: str  # MIRROR, ADDITIVE or REUSE
    live_path: str
    backup_path: str
    files: int
    bytes: int


@dataclass(frozen=True)
class RestoreIntent:
    key: str
    live_path: str
    backup_path: str
    files: int
    bytes: int


@dataclass(frozen=True)
class Plan:
    finish_setup: PendingSetup | None = None
    backups: tuple[BackupIntent, ...] = ()
    remove: tuple[str, ...] = ()
    install: tuple[str, ...] = ()
    restores: tuple[RestoreIntent, ...] = ()
    start: tuple[str, ...] = ()
    before: t.Mapping[str, str] = field(default_factory=dict)
    after: t.Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        copying = any(intent.mode != REUSE for intent in self.backups)
        return bool(self.finish_setup or copying or self.remove or self.install or self.restores or self.start)


def component_state(view: HostView, name: str) -> str:
    """``absent`` when the service is not registered, else its state (running, stopped...)."""
    service = view.services[COMPONENTS[name].service]
    return (service.state or "unknown") if service.exists else "absent"


def resolve_backup_dir(request: Request, view: HostView) -> str:
    return expand_path("backup_dir", request.backup_dir, view.env)


def check_places(request: Request, view: HostView) -> None:
    """The path rule (path_rules): the backup, the installation point and the agent's records stay apart
    from the data the removal deletes and from the IIS directory setup rewrites."""
    writes: dict[str, str | None] = {"backup_dir": resolve_backup_dir(request, view)}
    if request.source:
        writes["the installation point (source)"] = request.source
    writes["the agent's locks and records"] = expand_environment(AGENT_STATE_ROOT, view.env)
    destroyed: dict[str, str | None] = {f"the {_label(key)}": data.live_path if key != METABASE else None
                                        for key, data in view.data.items()}
    destroyed["the IIS directory"] = view.iis_install_path
    refuse_overlaps(writes, destroyed, view.env)
    if request.source:  # staging mirrors the installation point and the overlay replaces files in it
        refuse_overlaps({"backup_dir": writes["backup_dir"]}, {"the installation point": request.source}, view.env)


def decide(request: Request, view: HostView, *, check_mode: bool = False) -> Plan:
    """The plan; in check mode a source not staged yet is a warning (an earlier task would stage it)."""
    before = {name: component_state(view, name) for name in request.names}
    warnings: list[str] = []
    check_places(request, view)
    if request.state == ABSENT:
        remove = tuple(name for name in request.names if view.installed(name))
        install: tuple[str, ...] = ()
        backups = _backups(request, view, remove) if request.preserve_data else ()
        restores: tuple[RestoreIntent, ...] = ()
        start: tuple[str, ...] = ()
        after = {name: "absent" for name in request.names}
    else:
        remove = ()
        install = tuple(name for name in request.names if not view.installed(name))
        backups = ()
        restores = _restores(request, view, warnings)
        restarting = {name for name in request.names if set(COMPONENTS[name].datasets) & {r.key for r in restores}}
        start = tuple(
            name
            for name in request.names
            if request.start_services and (name in install or name in restarting or before[name] != "running")
        )
        after = {
            name: "running" if name in start else ("installed" if name in install else before[name])
            for name in request.names
        }
    if remove or install:
        _check_setup_possible(request, view, remove or install, warnings if check_mode else None)
    return Plan(
        finish_setup=view.record.setup,
        backups=backups,
        remove=remove,
        install=install,
        restores=restores,
        start=start,
        before=before,
        after=after,
        warnings=tuple(warnings),
    )


def _check_setup_possible(request: Request, view: HostView, names: tuple[str, ...],
                          warnings: list[str] | None = None) -> None:
    labels = ", ".join(COMPONENTS[name].label for name in names)
    if view.iis_major != 4:
        found = "no IIS" if view.iis_major is None else f"IIS {view.iis_major}"
        raise IisHotfixError(
            f"iis_component runs Windows NT 4.0 Option Pack setup, which needs IIS 4.0; this host has {found}"
        )
    if not request.source:
        raise IisHotfixError(
            f"source is required to {'remove' if request.state == ABSENT else 'install'} "
            f"{labels}: Option Pack setup runs from the installation point"
        )
    missing = [name for name, exists in view.source_files.items() if not exists]
    if missing and warnings is not None:
        warnings.append(f"the installation point {request.source} lacks {', '.join(missing)} for now; "
                        "setup can only run once it is staged")
    elif missing:
        raise IisHotfixError(f"the installation point {request.source} lacks {', '.join(missing)}; nothing was changed")


def _backups(request: Request, view: HostView, removing: tuple[str, ...]) -> tuple[BackupIntent, ...]:
    backup_dir = resolve_backup_dir(request, view)
    at_risk = [key for key in request.datasets() if any(key in COMPONENTS[name].datasets for name in removing)]
    intents = []
    for key in at_risk:
        data = view.data[key]
        if data.live is None:
            continue  # nothing there to lose
        record = view.record.datasets.get(key)
        live_path = _tree_root(key, data.live_path)
        if record is not None and record.status == REMOVED:
            check = record.check_backup(data.backup)
            if not check.ok:
                raise IisHotfixError(
                    f"the backup of the {_label(key)} in {record.backup_path}, waiting to be restored since an "
                    f"earlier removal, no longer verifies ({check.detail}); nothing was changed and the backup "
                    "was left as it is"
                )
            mode, backup_path = ADDITIVE, record.backup_path
        elif record is not None and record.status in (VERIFIED, COPYING):
            backup_path = record.backup_path
            mode = REUSE if _reusable(view, key, record, removing) else MIRROR
        else:
            backup_path = ntpath.join(backup_dir, BACKUP_FOLDERS[key])
            mode = MIRROR
        intents.append(BackupIntent(key, mode, live_path, backup_path, data.live.file_count, data.live.total_bytes))
    return tuple(intents)


def _reusable(view: HostView, key: str, record: t.Any, removing: tuple[str, ...]) -> bool:
    data = view.data[key]
    running = any(view.services[COMPONENTS[name].service].running for name in removing)
    return not running and record.check_backup(data.backup).ok and same_listing(data.live, data.backup)


def _restores(request: Request, view: HostView, warnings: list[str]) -> tuple[RestoreIntent, ...]:
    wanted = {key for name in request.names for key in COMPONENTS[name].datasets}
    pending = [record for key, record in view.record.datasets.items() if key in wanted and record.status == REMOVED]
    if pending and not request.preserve_data:
        for record in pending:
            warnings.append(
                f"the backup of the {_label(record.key)} in {record.backup_path} waits to be restored; "
                "preserve_data=false leaves it there"
            )
        return ()
    intents = []
    for record in pending:
        check = record.check_backup(view.data[record.key].backup)
        if not check.ok:
            raise IisHotfixError(
                f"the backup of the {_label(record.key)} in {record.backup_path} does not verify ({check.detail}); "
                "nothing was changed and the backup was left as it is"
            )
        intents.append(
            RestoreIntent(record.key, record.live_path, record.backup_path, record.file_count, record.total_bytes)
        )
    return tuple(intents)


def _tree_root(key: str, live_path: str | None) -> str:
    if live_path is None:
        raise IisHotfixError(f"the location of the {_label(key)} cannot be determined on this host")
    return ntpath.dirname(live_path) if key == METABASE else live_path


def _label(key: str) -> str:
    return DATASET_LABELS[key]
