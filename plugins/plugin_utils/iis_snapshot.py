# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What one audit read about a host's IIS, SMTP and NNTP, as plain immutable data.

``None`` always means "unknown" (the read failed or could not be made), never "no".
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import iis_paths


@dataclass(frozen=True)
class MailNewsService:
    """One of the IIS services hit by the hard-coded setup path."""

    key: str
    name: str
    dll_name: str
    label: str


SMTP = MailNewsService(key="smtp", name="SMTPSVC", dll_name="smtpsvc.dll", label="SMTP")
NNTP = MailNewsService(key="nntp", name="NNTPSVC", dll_name="nntpsvc.dll", label="NNTP")
MAIL_NEWS_SERVICES = (SMTP, NNTP)
# Service Control Manager: 7000 = the service could not start, 7023 = it stopped with an error.
FAILURE_EVENT_IDS = (7000, 7023)
SCM_SOURCE = "Service Control Manager"


@dataclass(frozen=True)
class FileProbe:
    path: str | None = None
    exists: bool | None = None


@dataclass(frozen=True)
class FailureEvent:
    event_id: int
    time: str | None
    record: int | None
    # First insertion string: the service's display name, or "" when Windows logged none.
    service_label: str
    message: str | None

    @property
    def names_a_service(self) -> bool:
        return bool(self.service_label.strip())


@dataclass(frozen=True)
class ServiceSnapshot:
    service: MailNewsService
    installed: bool | None
    display_name: str | None = None
    state: str | None = None
    start_mode: str | None = None
    image_path: str | None = None
    image_file: str | None = None
    image_file_exists: bool | None = None
    exit_code: int | None = None
    process_id: int | None = None
    install_path: str | None = None
    dll_at_install_path: FileProbe = field(default_factory=FileProbe)
    dll_at_iis_path: FileProbe = field(default_factory=FileProbe)
    dll_at_default_path: FileProbe = field(default_factory=FileProbe)
    failure_events: tuple[FailureEvent, ...] = ()

    @property
    def running(self) -> bool:
        return self.state == "running"


@dataclass(frozen=True)
class IisSnapshot:
    installed: bool | None
    major: int | None = None
    minor: int | None = None
    version_string: str | None = None
    install_path: str | None = None
    registry_key: str | None = None
    host_image_file: str | None = None


@dataclass(frozen=True)
class HostSnapshot:
    env: t.Mapping[str, str | None]
    os: t.Mapping[str, t.Any]
    architecture: t.Mapping[str, t.Any]
    powershell_version: str | None
    iis: IisSnapshot
    services: t.Mapping[str, ServiceSnapshot]
    events_complete: bool | None = None
    problems: tuple[str, ...] = ()

    @property
    def default_iis_directory(self) -> str | None:
        return iis_paths.default_iis_directory(self.env)

    def canonical(self, path: str | None) -> str | None:
        return iis_paths.canonical_path(path, self.env)

    def installed_services(self) -> list[ServiceSnapshot]:
        return [snapshot for snapshot in self.services.values() if snapshot.installed]
