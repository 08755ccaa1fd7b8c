"""The Ansible inventory a started fleet writes: every connection variable a winrm task needs.

HTTPS hosts validate the fleet's own CA (no `ignore`); HTTP-only hosts use NTLM with message encryption,
as Windows' defaults require. Hosts are grouped by profile so plays can target e.g. `profile_iis4_kb`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from winsim.fleet_config import HostConfig


def connection_vars(host: HostConfig, address: str, ca_file: Path) -> dict[str, Any]:
    scheme = "https" if "https" in host.listeners else "http"
    transport = "ntlm" if host.auth_negotiate else "basic"
    variables: dict[str, Any] = {
        "ansible_host": address,
        "ansible_connection": "winrm",
        "ansible_port": 5986 if scheme == "https" else 5985,
        "ansible_winrm_scheme": scheme,
        "ansible_winrm_transport": transport,
        "ansible_user": host.username,
        "ansible_password": host.password,
        "ansible_winrm_read_timeout_sec": 70,
        "ansible_winrm_operation_timeout_sec": 60,
    }
    if scheme == "https":
        variables["ansible_winrm_server_cert_validation"] = "validate"
        variables["ansible_winrm_ca_trust_path"] = str(ca_file)
    elif transport == "ntlm":
        variables["ansible_winrm_message_encryption"] = "always"
    return variables


def group_name(profile: str) -> str:
    return "profile_" + profile.replace("-", "_")


def build_inventory(hosts: list[tuple[HostConfig, str]], ca_file: Path) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    for host, address in hosts:
        group = groups.setdefault(group_name(host.profile), {"hosts": {}})
        group["hosts"][host.name] = connection_vars(host, address, ca_file)
    return {"all": {"children": {"windows": {"children": groups}}}}


def write_inventory(path: Path, hosts: list[tuple[HostConfig, str]], ca_file: Path) -> None:
    header = "# Written by `python -m winsim start`: the simulated fleet's hosts and how to reach them.\n"
    body = yaml.safe_dump(build_inventory(hosts, ca_file), sort_keys=False, default_flow_style=False)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(header + body, encoding="utf-8")
    tmp.replace(path)
