# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shapes a HostSnapshot and its KB verdicts into the ``iis_hotfix`` facts of iis_facts."""

from __future__ import annotations

import typing as t
from dataclasses import asdict

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import iis_paths, kb_rules
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_snapshot import HostSnapshot, ServiceSnapshot


def _iis_facts(snapshot: HostSnapshot) -> dict[str, t.Any]:
    iis = snapshot.iis
    default = snapshot.default_iis_directory
    location = iis.install_path
    if location is None and iis.installed:
        location = iis_paths.parent_directory(iis.host_image_file, snapshot.env)
    here, there = snapshot.canonical(location), snapshot.canonical(default)
    return {
        "installed": iis.installed,
        "version": {"major": iis.major, "minor": iis.minor, "string": iis.version_string},
        "registry_key": iis.registry_key,
        "install_path": iis.install_path,
        "install_path_expanded": iis_paths.expanded_path(iis.install_path, snapshot.env),
        "install_path_canonical": snapshot.canonical(iis.install_path),
        "host_image_file": iis.host_image_file,
        "default_path": default,
        "default_path_canonical": there,
        "outside_default_path": (here != there) if here is not None and there is not None else None,
    }


def _service_facts(snapshot: HostSnapshot, service: ServiceSnapshot) -> dict[str, t.Any]:
    return {
        "installed": service.installed,
        "name": service.service.name,
        "display_name": service.display_name,
        "state": service.state,
        "start_mode": service.start_mode,
        "image_path": service.image_path,
        "image_file": service.image_file,
        "image_file_exists": service.image_file_exists,
        "install_path": service.install_path,
        "install_path_canonical": snapshot.canonical(service.install_path),
        "exit_code": service.exit_code,
        "process_id": service.process_id,
        "dll": {
            "name": service.service.dll_name,
            "at_install_path": asdict(service.dll_at_install_path),
            "at_iis_path": asdict(service.dll_at_iis_path),
            "at_default_path": asdict(service.dll_at_default_path),
        },
        "failure_events": [asdict(event) for event in service.failure_events],
    }


def build_facts(snapshot: HostSnapshot, kbs: t.Sequence[str]) -> dict[str, t.Any]:
    """The value of ``ansible_facts.iis_hotfix``."""
    os_info = snapshot.os
    return {
        "os": {
            "version": os_info.get("version"),
            "build": os_info.get("build"),
            "service_pack": os_info.get("service_pack") or os_info.get("CSDVersion") or None,
            "product_name": os_info.get("ProductName"),
        },
        "architecture": {
            "native": snapshot.architecture.get("native"),
            "process": snapshot.architecture.get("process"),
        },
        "powershell_version": snapshot.powershell_version,
        "iis": _iis_facts(snapshot),
        **{key: _service_facts(snapshot, service) for key, service in snapshot.services.items()},
        "events_complete": snapshot.events_complete,
        "problems": list(snapshot.problems),
        "kb": {kb: kb_rules.evaluate(kb, snapshot).as_fact() for kb in kbs},
    }
