"""Per-host WinRM service settings (Windows' defaults) and fault-injection rules."""

from __future__ import annotations

import dataclasses
from typing import Literal

FaultAction = Literal["drop", "http500", "hang"]
FAULT_ACTIONS: tuple[str, ...] = ("drop", "http500", "hang")


@dataclasses.dataclass(frozen=True)
class FaultRule:
    """One fault: `action` on this host's Nth HTTP request (`on_request`) or on each request with `probability`.

    Requests are counted from 1 from the moment the rule is installed (endpoint start, or the `set_faults`
    call that installed it), auth handshake legs included. `count` bounds how many times the rule fires:
    with `on_request` it fires on requests N, N+1, ... N+count-1 (once when `count` is None); with
    `probability` it fires at most `count` times (without limit when None).
    """

    action: FaultAction
    on_request: int | None = None
    probability: float | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        if self.action not in FAULT_ACTIONS:
            raise ValueError(f"fault action must be one of {', '.join(FAULT_ACTIONS)}, not {self.action!r}")
        if (self.on_request is None) == (self.probability is None):
            raise ValueError("a fault rule needs exactly one of on_request (N >= 1) or probability (0..1)")
        if self.on_request is not None and (isinstance(self.on_request, bool) or int(self.on_request) < 1):
            raise ValueError(f"on_request must be a whole number >= 1, not {self.on_request!r}")
        if self.probability is not None and not 0.0 <= float(self.probability) <= 1.0:
            raise ValueError(f"probability must lie between 0 and 1, not {self.probability!r}")
        if self.count is not None and (isinstance(self.count, bool) or int(self.count) < 1):
            raise ValueError(f"count must be a whole number >= 1 or None, not {self.count!r}")


@dataclasses.dataclass
class EndpointSettings:
    """What `winrm get winrm/config/service` would show for one host, plus its listeners and local accounts."""

    address: str
    http_port: int | None = 5985  # None: no HTTP listener; 0: any free port (see HostEndpoint.http_port)
    https_port: int | None = 5986  # None: no HTTPS listener
    cert_file: str | None = None  # PEM server certificate for HTTPS
    key_file: str | None = None
    users: dict[str, str] = dataclasses.field(default_factory=dict)  # local accounts, names case-insensitive
    auth_basic: bool = False  # Windows' default: Basic disabled
    auth_negotiate: bool = True
    allow_unencrypted: bool = False
    max_envelope_kb: int = 500
    max_timeout_ms: int = 60000
    max_shells_per_user: int = 30
    max_concurrent_operations_per_user: int = 1500
    idle_timeout_ms: int = 180000  # winrs IdleTimeout: a shell nobody touched for this long is dropped
    latency_ms: int = 0
    faults: list[FaultRule] = dataclasses.field(default_factory=list)
    fault_seed: int | None = None  # seeds probability faults, for reproducible runs

    def __post_init__(self) -> None:
        if self.http_port is None and self.https_port is None:
            raise ValueError(f"{self.address}: an endpoint needs at least one of http_port or https_port")
        if self.https_port is not None and not (self.cert_file and self.key_file):
            raise ValueError(f"{self.address}: an HTTPS listener needs cert_file and key_file")
        if not self.users:
            raise ValueError(f"{self.address}: an endpoint needs at least one local account in users")
        for name in ("max_envelope_kb", "max_timeout_ms", "max_shells_per_user",
                     "max_concurrent_operations_per_user", "idle_timeout_ms"):
            if getattr(self, name) < 1:
                raise ValueError(f"{self.address}: {name} must be >= 1")
        if self.latency_ms < 0:
            raise ValueError(f"{self.address}: latency_ms must be >= 0")
