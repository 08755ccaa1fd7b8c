"""Fleet definitions: a fleet file (YAML) or a `--hosts PROFILE:COUNT,...` spec, resolved to one HostConfig each.

The resolved fleet is plain data (JSON-able) so the daemon can be restarted from it like machines after a reboot.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from winsim.host.profiles import SpecError, build_spec

DEFAULT_USER = "Administrator"
DEFAULT_PASSWORD = "Winsim-Passw0rd!"
LISTENERS = ("http", "https")
FAULT_ACTIONS = ("drop", "http500", "hang")
HOST_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,62}$")

# Keys a host entry (or `defaults`) may carry; anything else is a typo the user must hear about.
ENDPOINT_KEYS = {
    "username", "password", "listeners", "auth_basic", "auth_negotiate", "allow_unencrypted",
    "max_envelope_kb", "max_timeout_ms", "max_shells_per_user", "latency_ms", "faults", "unreachable",
}
HOST_KEYS = ENDPOINT_KEYS | {"name", "profile", "count", "overrides"}


class FleetConfigError(ValueError):
    """The fleet file or --hosts spec is wrong; the message says where and how."""


@dataclasses.dataclass
class FaultConfig:
    action: str
    on_request: int | None = None
    probability: float | None = None
    count: int | None = None


@dataclasses.dataclass
class HostConfig:
    name: str
    profile: str
    overrides: dict[str, Any] = dataclasses.field(default_factory=dict)
    username: str = DEFAULT_USER
    password: str = DEFAULT_PASSWORD
    listeners: list[str] = dataclasses.field(default_factory=lambda: ["https"])
    auth_basic: bool = False
    auth_negotiate: bool = True
    allow_unencrypted: bool = False
    max_envelope_kb: int = 500
    max_timeout_ms: int = 60000
    max_shells_per_user: int = 30
    latency_ms: int = 0
    faults: list[FaultConfig] = dataclasses.field(default_factory=list)
    # A host that is in the inventory but never answers (its address has no listener): a powered-off server.
    unreachable: bool = False

    @property
    def computer_name(self) -> str:
        """Computer name as `hostname` prints it: the inventory name in upper case."""
        return self.name.upper()

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HostConfig:
        data = dict(data)
        data["faults"] = [FaultConfig(**f) for f in data.get("faults", [])]
        return cls(**data)


def parse_hosts_spec(spec: str) -> list[HostConfig]:
    """`iis4-default:2,no-iis:1` -> hosts iis4-default-1, iis4-default-2, no-iis-1."""
    hosts: list[HostConfig] = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        profile, _, count_text = item.partition(":")
        count_text = count_text or "1"
        if not count_text.isdigit() or int(count_text) < 1:
            raise FleetConfigError(f"--hosts: '{item}' must be PROFILE:COUNT with COUNT a whole number >= 1")
        hosts.extend(HostConfig(name=f"{profile}-{n}", profile=profile) for n in range(1, int(count_text) + 1))
    if not hosts:
        raise FleetConfigError("--hosts names no host; expected e.g. iis4-default:2,no-iis:1")
    return _checked(hosts)


# Fleet-wide settings a fleet file may give at its top level, next to `defaults` and `hosts`.
FLEET_SETTINGS = ("setup_time_scale",)


def load_fleet_settings(path: Path) -> dict[str, Any]:
    """The fleet-wide settings of a fleet file (load_fleet_file has read it without error)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings = {key: document[key] for key in FLEET_SETTINGS if document.get(key) is not None}
    scale = settings.get("setup_time_scale")
    if scale is not None and (isinstance(scale, bool) or not isinstance(scale, int | float) or scale < 0):
        raise FleetConfigError(f"{path}: setup_time_scale must be a number >= 0 (0: setup takes no time)")
    return settings


def load_fleet_file(path: Path) -> list[HostConfig]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FleetConfigError(f"cannot read fleet file {path}: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("hosts"), list):
        raise FleetConfigError(f"{path}: expected a mapping with a 'hosts' list")
    unknown = set(document) - {"defaults", "hosts", *FLEET_SETTINGS}
    if unknown:
        raise FleetConfigError(f"{path}: unknown top-level keys: {', '.join(sorted(unknown))}")
    defaults = document.get("defaults") or {}
    _check_keys(defaults, ENDPOINT_KEYS, f"{path}: defaults")
    hosts: list[HostConfig] = []
    for index, entry in enumerate(document["hosts"], start=1):
        where = f"{path}: hosts[{index}]"
        if not isinstance(entry, dict) or "profile" not in entry:
            raise FleetConfigError(f"{where}: each host needs at least a 'profile'")
        _check_keys(entry, HOST_KEYS, where)
        merged = {**defaults, **entry}
        count = merged.pop("count", None)
        base_name = merged.pop("name", None) or merged["profile"]
        if count is None:
            names = [base_name if "name" in entry else f"{base_name}-1"]
        elif isinstance(count, int) and count >= 1:
            names = [f"{base_name}-{n}" for n in range(1, count + 1)]
        else:
            raise FleetConfigError(f"{where}: count must be a whole number >= 1")
        for name in names:
            hosts.append(_host_from_entry(name, merged, where))
    return _checked(hosts)


def _host_from_entry(name: str, entry: dict[str, Any], where: str) -> HostConfig:
    fields = {k: v for k, v in entry.items() if k not in ("faults", "overrides")}
    overrides = entry.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise FleetConfigError(f"{where}: overrides must be a mapping")
    faults = [_fault(f, where) for f in entry.get("faults") or []]
    try:
        host = HostConfig(name=name, overrides=dict(overrides), faults=faults, **fields)
    except TypeError as exc:
        raise FleetConfigError(f"{where}: {exc}") from exc
    bad = [listener for listener in host.listeners if listener not in LISTENERS]
    if bad or not host.listeners:
        raise FleetConfigError(f"{where}: listeners must be a non-empty list of {', '.join(LISTENERS)}")
    return host


def _fault(entry: Any, where: str) -> FaultConfig:
    if not isinstance(entry, dict):
        raise FleetConfigError(f"{where}: each fault is a mapping like {{action: drop, on_request: 3}}")
    _check_keys(entry, {"action", "on_request", "probability", "count"}, f"{where}: fault")
    fault = FaultConfig(**entry)
    return validate_fault(fault, where)


def validate_fault(fault: FaultConfig, where: str = "fault") -> FaultConfig:
    if fault.action not in FAULT_ACTIONS:
        raise FleetConfigError(f"{where}: fault action must be one of {', '.join(FAULT_ACTIONS)}")
    if (fault.on_request is None) == (fault.probability is None):
        raise FleetConfigError(f"{where}: a fault needs exactly one of on_request (N) or probability (0..1)")
    if fault.on_request is not None and (not isinstance(fault.on_request, int) or fault.on_request < 1):
        raise FleetConfigError(f"{where}: on_request must be a whole number >= 1")
    if fault.probability is not None and not 0.0 <= float(fault.probability) <= 1.0:
        raise FleetConfigError(f"{where}: probability must lie between 0 and 1")
    return fault


def _check_keys(entry: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise FleetConfigError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")


def _checked(hosts: list[HostConfig]) -> list[HostConfig]:
    seen: set[str] = set()
    for host in hosts:
        if not HOST_NAME.match(host.name):
            raise FleetConfigError(f"host name '{host.name}' must be letters, digits and '-' (at most 63)")
        if host.name.lower() in seen:
            raise FleetConfigError(f"host name '{host.name}' is used twice")
        seen.add(host.name.lower())
        try:  # the profile and its overrides, checked here so a bad one is a message, not a daemon traceback
            build_spec(host.profile, host.computer_name, host.overrides)
        except SpecError as exc:
            raise FleetConfigError(f"host '{host.name}': {exc}") from exc
    return hosts
