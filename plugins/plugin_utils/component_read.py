# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one read batch behind iis_component, and what it tells about the host.

Everything a decision needs is read in one round trip (check mode sends nothing else):
IIS version and folders, the services, this module's host-side records and the setup program an
earlier run may have left running, the data at risk and its backups, the installation point.
Locations that depend on the registry are computed by the host with value expressions:

- Mailroot and nntpfile live in the Inetpub folder, which is the parent of
  ``InetStp\\PathWWWRoot`` (where setup creates them); ``%SystemDrive%\\Inetpub`` when that value
  is not set. IIS keeps relocated folders only in its binary metabase, which the agent does not
  parse: the module's ``mailroot`` and ``nntpfile`` options name them instead.
- The metabase is ``InetMgr\\Parameters\\MetadataFile`` when set, else ``Metabase.bin`` in the
  IIS install folder (``InetStp\\InstallPath``).
- The backups are read where the record says they are.
"""

from __future__ import annotations

import ntpath
import typing as t
from dataclasses import dataclass, field

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import (
    AgentBatch,
    dirname,
    expand,
    join,
    ref,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_state import (
    RECORD_NAME,
    SETUP_RECORD_NAME,
    StateRecord,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.data_backup import (
    MAILROOT,
    METABASE,
    METABASE_FILE,
    NNTPFILE,
    Manifest,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.setup_answer import (
    SETUP_KEY,
    SETUP_PROGRAM,
    SOURCE_PATH_VALUE,
)

INETSTP_KEY = r"HKLM\SOFTWARE\Microsoft\InetStp"
INETMGR_KEY = r"HKLM\SOFTWARE\Microsoft\InetMgr\Parameters"
IIS_ADMIN = "IISADMIN"
TREE_LIMITS = {"max_files": 200_000, "max_bytes": 1 << 40, "max_depth": 64}


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    service: str
    subcomponent: str  # its name in the answer file's [Components]
    inf: str  # its setup INF in the installation point
    datasets: tuple[str, ...]  # what its removal puts at risk


COMPONENTS = {
    "smtp": Component("smtp", "SMTP", "SMTPSVC", "iis_smtp", "Ims.inf", (MAILROOT, METABASE)),
    "nntp": Component("nntp", "NNTP", "NNTPSVC", "iis_nntp", "Ins.inf", (NNTPFILE, METABASE)),
}
DATASET_LABELS = {MAILROOT: "SMTP Mailroot", NNTPFILE: "NNTP store (nntpfile)", METABASE: "IIS metabase"}
_TREE_FOLDERS = {MAILROOT: "Mailroot", NNTPFILE: "nntpfile"}


@dataclass(frozen=True)
class ReadRequest:
    """What the read batch must cover."""

    components: tuple[str, ...]
    datasets: tuple[str, ...]  # empty when data is not preserved
    source: str | None
    overrides: t.Mapping[str, str] = field(default_factory=dict)  # data set key -> live folder
    env_names: tuple[str, ...] = ()  # further %NAME% variables the arguments name (backup_dir)


@dataclass(frozen=True)
class ServiceView:
    name: str
    exists: bool
    state: str | None = None
    display_name: str | None = None

    @property
    def running(self) -> bool:
        return self.state == "running"


@dataclass(frozen=True)
class DataView:
    key: str
    live_path: str | None  # the folder (trees) or the file (metabase); None: could not be located
    live: Manifest | None  # None: nothing there; trees are listed without hashes
    backup: Manifest | None  # the backup folder named by the record, hashed; None: absent or no record


@dataclass(frozen=True)
class SetupProcess:
    pid: int
    start_time: str | None
    state: str  # running, exited, or gone (no process and no record of it)
    exit_code: int | None = None


@dataclass(frozen=True)
class HostView:
    time_utc: str
    env: t.Mapping[str, str | None]
    iis_major: int | None
    iis_install_path: str | None
    services: t.Mapping[str, ServiceView]
    data: t.Mapping[str, DataView]
    record: StateRecord
    setup_process: SetupProcess | None
    source_files: t.Mapping[str, bool]  # file name -> exists in the installation point
    source_path: t.Mapping[str, t.Any] | None  # the SourcePath value ({"type", "value"}) or None
    agent_operations: tuple[str, ...] = ()

    def installed(self, component: str) -> bool:
        return self.services[COMPONENTS[component].service].exists


def build_read_batch(request: ReadRequest) -> AgentBatch:
    batch = AgentBatch()
    names = dict.fromkeys(("SystemDrive", "windir", "SystemRoot", *request.env_names))
    batch.system_info(env=tuple(names), op_id="system")
    batch.registry_read(INETSTP_KEY, values=("MajorVersion", "InstallPath", "PathWWWRoot"), op_id="inetstp")
    batch.registry_read(SETUP_KEY, values=(SOURCE_PATH_VALUE,), op_id="setup_key")
    for name in (IIS_ADMIN, *(component.service for component in COMPONENTS.values())):
        batch.service_query(name, op_id=f"service_{name}")
    batch.state_read(RECORD_NAME, op_id="record")
    batch.state_read(SETUP_RECORD_NAME, op_id="setup_record")
    batch.process_poll(
        ref("setup_record", "value", "pid"),
        start_time=ref("setup_record", "value", "start_time"),
        op_id="setup_process",
    )
    for key in request.datasets:
        _read_live(batch, key, request.overrides.get(key))
        batch.file_tree(ref("record", "value", "datasets", key, "backup_path"), op_id=f"backup_{key}", **TREE_LIMITS)
    if request.source:
        for name in _source_files(request.components):
            batch.file_stat(ntpath.join(request.source, name), op_id=f"source_{name}")
    return batch


def _read_live(batch: AgentBatch, key: str, override: str | None) -> None:
    if key == METABASE:
        batch.registry_read(INETMGR_KEY, values=("MetadataFile",), op_id="inetmgr")
        custom = expand(ref("inetmgr", "values", "MetadataFile", "value"))
        batch.file_stat(custom, sha256=True, op_id="live_metabase_custom")
        installed = join(expand(ref("inetstp", "values", "InstallPath", "value")), METABASE_FILE)
        batch.file_stat(installed, sha256=True, op_id="live_metabase")
        return
    limits = {"sha256": False, **TREE_LIMITS}
    if override:
        batch.file_tree(override, op_id=f"live_{key}", **limits)
        return
    inetpub = dirname(expand(ref("inetstp", "values", "PathWWWRoot", "value")))
    batch.file_tree(join(inetpub, _TREE_FOLDERS[key]), op_id=f"live_{key}", **limits)
    default = join(expand("%SystemDrive%"), "Inetpub", _TREE_FOLDERS[key])
    batch.file_tree(default, op_id=f"live_{key}_default", **limits)


def _source_files(components: t.Iterable[str]) -> tuple[str, ...]:
    return (SETUP_PROGRAM, *(COMPONENTS[key].inf for key in components))


class _Reader:
    """Values of the read batch; an operation that failed (other than a reference to something
    absent) stops the task before anything is changed."""

    def __init__(self, response: AgentResponse) -> None:
        self._response = response

    def optional(self, op_id: str) -> t.Any:
        """The value, or None when the operation was not applicable (unresolved reference)."""
        if op_id not in self._response.results:
            return None
        result = self._response[op_id]
        if result.unresolved:
            return None
        if not result.ok and result.error is not None and result.error.kind == "unknown_operation":
            raise IisHotfixError(
                f"the host's agent does not implement {result.op}; the collection and its agent script do not match"
            )
        return self._response.value(op_id)


def parse_read(response: AgentResponse, request: ReadRequest) -> HostView:
    reader = _Reader(response)
    system = reader.optional("system") or {}
    inetstp = reader.optional("inetstp") or {}
    services = {}
    for name in (IIS_ADMIN, *(component.service for component in COMPONENTS.values())):
        query = reader.optional(f"service_{name}") or {}
        services[name] = ServiceView(
            name=name,
            exists=bool(query.get("exists")),
            state=query.get("state"),
            display_name=query.get("display_name"),
        )
    record_value = reader.optional("record") or {}
    try:
        record = StateRecord.from_value(record_value["value"]) if record_value.get("exists") else StateRecord()
    except (KeyError, TypeError, ValueError) as exc:
        raise IisHotfixError(
            f"the host-side record {RECORD_NAME} cannot be read ({exc}); to start over, delete "
            f"%SystemRoot%\\Temp\\win-primitive-agent\\state\\{RECORD_NAME}.json on the host"
        ) from exc
    major = _registry_value(inetstp, "MajorVersion")
    return HostView(
        time_utc=str(system.get("time_utc") or ""),
        env=dict(system.get("env") or {}),
        iis_major=major if isinstance(major, int) else None,
        iis_install_path=_registry_value(inetstp, "InstallPath", expanded=True),
        services=services,
        data={key: _parse_data(reader, key) for key in request.datasets},
        record=record,
        setup_process=_parse_process(reader.optional("setup_process")),
        source_files={
            name: bool((reader.optional(f"source_{name}") or {}).get("exists"))
            for name in (_source_files(request.components) if request.source else ())
        },
        source_path=_registry_entry(reader.optional("setup_key"), SOURCE_PATH_VALUE),
        agent_operations=tuple(response.agent.get("operations") or ()),
    )


def _parse_data(reader: _Reader, key: str) -> DataView:
    backup_tree = reader.optional(f"backup_{key}")
    backup = Manifest.from_tree(backup_tree) if backup_tree and backup_tree.get("exists") else None
    if key == METABASE:
        stat = reader.optional("live_metabase_custom") or reader.optional("live_metabase")
        if not stat:
            return DataView(key, None, None, backup)
        name = ntpath.basename(str(stat["path"]))
        live = Manifest.from_stat(stat, name) if stat.get("exists") else None
        return DataView(key, str(stat["path"]), live, backup)
    tree = reader.optional(f"live_{key}")
    if tree is None:
        tree = reader.optional(f"live_{key}_default")
    if tree is None:
        return DataView(key, None, None, backup)
    live = Manifest.from_tree(tree) if tree.get("exists") else None
    return DataView(key, str(tree["path"]), live, backup)


def _parse_process(value: t.Any) -> SetupProcess | None:
    if not value:
        return None
    if not value.get("exists"):
        return SetupProcess(pid=int(value.get("pid") or 0), start_time=None, state="gone")
    return SetupProcess(
        pid=int(value["pid"]),
        start_time=value.get("start_time"),
        state=str(value.get("state")),
        exit_code=value.get("exit_code"),
    )


def _registry_entry(read: t.Any, name: str) -> t.Mapping[str, t.Any] | None:
    if not read or not read.get("exists"):
        return None
    entry = (read.get("values") or {}).get(name)
    return dict(entry) if isinstance(entry, dict) else None


def _registry_value(read: t.Any, name: str, *, expanded: bool = False) -> t.Any:
    entry = _registry_entry(read, name)
    if entry is None:
        return None
    return entry.get("expanded", entry.get("value")) if expanded else entry.get("value")
