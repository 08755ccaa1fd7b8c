# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads a host's IIS, SMTP and NNTP setup in one agent batch and parses the answer.

Everything the verdicts need is asked in a single round trip: file probes that depend on
registry values read in the same batch use value expressions (``ref``/``expand``/``join``).
"""

from __future__ import annotations

import typing as t
from dataclasses import replace

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import unfinished_work
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch, expand, join, ref
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_paths import DEFAULT_IIS_DIRECTORY
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_snapshot import (
    FAILURE_EVENT_IDS,
    MAIL_NEWS_SERVICES,
    SCM_SOURCE,
    FailureEvent,
    FileProbe,
    HostSnapshot,
    IisSnapshot,
    MailNewsService,
    ServiceSnapshot,
)

INETSTP_KEY = r"HKLM\SOFTWARE\Microsoft\InetStp"
LEGACY_IIS_KEY = r"HKLM\SOFTWARE\Microsoft\Inetsrv\CurrentVersion"
OS_KEY = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
SERVICES_KEY = r"HKLM\SYSTEM\CurrentControlSet\Services"
ENVIRONMENT_NAMES = ("windir", "SystemRoot", "SystemDrive")
OS_VALUES = ("ProductName", "CurrentVersion", "CurrentBuildNumber", "CSDVersion")
IIS_VALUES = ("MajorVersion", "MinorVersion", "VersionString", "InstallPath")
MAX_EVENT_LOOKBACK = 10000  # the agent's own limit for event.query "newest"

# Operation ids of the detection batch.
SYSTEM = "system"
OS_VERSION = "os_version"
INETSTP = "inetstp"
LEGACY_IIS = "inetsrv_legacy"
IIS_HOST = "iisadmin"
SCM_EVENTS = "scm_events"


def _ids(service: MailNewsService) -> dict[str, str]:
    prefix = service.key
    return {
        "service": f"{prefix}_service",
        "parameters": f"{prefix}_parameters",
        "dll_install": f"{prefix}_dll_install_path",
        "dll_iis": f"{prefix}_dll_iis_path",
        "dll_default": f"{prefix}_dll_default_path",
    }


def build_detection_batch(event_lookback: int, *, progress: bool = True) -> AgentBatch:
    """The read-only batch behind iis_facts: system, IIS keys, both services, their DLLs, SCM events,
    and the records of unfinished remediation work (``progress``: the role's progress records too)."""
    batch = AgentBatch()
    batch.system_info(env=ENVIRONMENT_NAMES, op_id=SYSTEM)
    batch.registry_read(OS_KEY, values=OS_VALUES, op_id=OS_VERSION)
    batch.registry_read(INETSTP_KEY, values=IIS_VALUES, op_id=INETSTP)
    batch.registry_read(LEGACY_IIS_KEY, op_id=LEGACY_IIS)
    batch.service_query("IISADMIN", op_id=IIS_HOST)
    iis_install_path = expand(ref(INETSTP, "values", "InstallPath", "value"))
    for service in MAIL_NEWS_SERVICES:
        ids = _ids(service)
        batch.service_query(service.name, op_id=ids["service"])
        parameters_key = rf"{SERVICES_KEY}\{service.name}\Parameters"
        batch.registry_read(parameters_key, values=("InstallPath",), op_id=ids["parameters"])
        registered_path = expand(ref(ids["parameters"], "values", "InstallPath", "value"))
        batch.file_stat(join(registered_path, service.dll_name), op_id=ids["dll_install"])
        batch.file_stat(join(iis_install_path, service.dll_name), op_id=ids["dll_iis"])
        batch.file_stat(join(expand(DEFAULT_IIS_DIRECTORY), service.dll_name), op_id=ids["dll_default"])
    batch.event_query(
        "System",
        sources=(SCM_SOURCE,),
        event_ids=FAILURE_EVENT_IDS,
        newest=event_lookback,
        op_id=SCM_EVENTS,
    )
    unfinished_work.add_reads(batch, progress=progress)
    return batch


class _Reader:
    """Reads result values, collecting failures that leave something unknown."""

    def __init__(self, response: AgentResponse) -> None:
        self._response = response
        self.problems: list[str] = []

    def value(self, op_id: str) -> t.Mapping[str, t.Any] | None:
        result = self._response[op_id]
        if result.ok:
            return result.value if isinstance(result.value, dict) else None
        # A reference to something absent (e.g. no InstallPath) is an answer, not a problem.
        if not result.unresolved and result.error is not None:
            self.problems.append(f"{op_id}: {result.error.describe()}")
        return None


def _registry_value(read: t.Mapping[str, t.Any] | None, name: str) -> t.Any:
    if not read or not read.get("exists"):
        return None
    entry = (read.get("values") or {}).get(name)
    return entry.get("value") if isinstance(entry, dict) else None


def _as_int(value: t.Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _as_str(value: t.Any) -> str | None:
    return value if isinstance(value, str) else None


def _probe(read: t.Mapping[str, t.Any] | None) -> FileProbe:
    if read is None:
        return FileProbe()
    return FileProbe(path=_as_str(read.get("path")), exists=bool(read.get("exists")) and read.get("type") == "file")


def _parse_iis(reader: _Reader) -> IisSnapshot:
    inetstp = reader.value(INETSTP)
    legacy = reader.value(LEGACY_IIS)
    host = reader.value(IIS_HOST)
    host_image = _as_str(host.get("image_file")) if host and host.get("exists") else None
    if inetstp is None:
        # Unreadable InetStp: an older key elsewhere would not say which IIS this is.
        return IisSnapshot(installed=None, host_image_file=host_image)
    if inetstp.get("exists"):
        return IisSnapshot(
            installed=True,
            major=_as_int(_registry_value(inetstp, "MajorVersion")),
            minor=_as_int(_registry_value(inetstp, "MinorVersion")),
            version_string=_as_str(_registry_value(inetstp, "VersionString")),
            install_path=_as_str(_registry_value(inetstp, "InstallPath")),
            registry_key=INETSTP_KEY,
            host_image_file=host_image,
        )
    if legacy is not None and legacy.get("exists"):
        return IisSnapshot(
            installed=True,
            major=_as_int(_registry_value(legacy, "MajorVersion")),
            minor=_as_int(_registry_value(legacy, "MinorVersion")),
            install_path=_as_str(_registry_value(legacy, "InstallPath")),
            registry_key=LEGACY_IIS_KEY,
            host_image_file=host_image,
        )
    if legacy is None:
        return IisSnapshot(installed=None, host_image_file=host_image)
    return IisSnapshot(installed=False, host_image_file=host_image)


def _parse_events(read: t.Mapping[str, t.Any] | None) -> list[FailureEvent]:
    events = []
    for raw in (read or {}).get("events") or ():
        strings = raw.get("insertion_strings") or []
        events.append(
            FailureEvent(
                event_id=int(raw.get("event_id", 0)),
                time=_as_str(raw.get("time")),
                record=_as_int(raw.get("record")),
                service_label=str(strings[0]) if strings else "",
                message=_as_str(raw.get("message")),
            )
        )
    return events


def _events_for(service: ServiceSnapshot, events: list[FailureEvent]) -> tuple[FailureEvent, ...]:
    """Events naming this service, plus those naming none (the defect logs an empty name)."""
    names = {name.casefold() for name in (service.display_name, service.service.name) if name}
    return tuple(event for event in events if not event.names_a_service or event.service_label.casefold() in names)


def _parse_service(reader: _Reader, service: MailNewsService, events: list[FailureEvent]) -> ServiceSnapshot:
    ids = _ids(service)
    query = reader.value(ids["service"])
    if query is None:
        return ServiceSnapshot(service=service, installed=None)
    if not query.get("exists"):
        return ServiceSnapshot(service=service, installed=False)
    snapshot = ServiceSnapshot(
        service=service,
        installed=True,
        display_name=_as_str(query.get("display_name")),
        state=_as_str(query.get("state")),
        start_mode=_as_str(query.get("start_mode")),
        image_path=_as_str(query.get("image_path")),
        image_file=_as_str(query.get("image_file")),
        image_file_exists=query.get("image_file_exists") if isinstance(query.get("image_file_exists"), bool) else None,
        exit_code=_as_int(query.get("exit_code")),
        process_id=_as_int(query.get("process_id")),
        install_path=_as_str(_registry_value(reader.value(ids["parameters"]), "InstallPath")),
        dll_at_install_path=_probe(reader.value(ids["dll_install"])),
        dll_at_iis_path=_probe(reader.value(ids["dll_iis"])),
        dll_at_default_path=_probe(reader.value(ids["dll_default"])),
    )
    return replace(snapshot, failure_events=_events_for(snapshot, events))


def parse_detection(response: AgentResponse) -> HostSnapshot:
    """Turn the answer to ``build_detection_batch`` into a HostSnapshot."""
    reader = _Reader(response)
    system = reader.value(SYSTEM) or {}
    os_read = reader.value(OS_VERSION)
    event_read = reader.value(SCM_EVENTS)
    events = _parse_events(event_read)
    os_info = dict(system.get("os") or {})
    for name in OS_VALUES:
        os_info[name] = _registry_value(os_read, name)
    return HostSnapshot(
        env=dict(system.get("env") or {}),
        os=os_info,
        architecture=dict(system.get("architecture") or {}),
        powershell_version=_as_str((system.get("powershell") or {}).get("version")),
        iis=_parse_iis(reader),
        services={service.key: _parse_service(reader, service, events) for service in MAIL_NEWS_SERVICES},
        events_complete=event_read.get("complete") if event_read and event_read.get("exists") else None,
        problems=tuple(reader.problems),
    )
