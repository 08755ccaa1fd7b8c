"""The fleet daemon: one process serving every simulated host of a workdir until it is told to stop.

Workdir layout (all of it survives a stop; a restart is every host rebooting):
  fleet.json          the resolved fleet (hosts, their settings, the loopback block)
  pki/                the fleet CA and per-host certificates
  hosts/<name>/       each host's disk: registry, services, event log, files
  inventory.yml       the Ansible inventory, rewritten at every start
  control.json        how to reach the running daemon (port, token, pid)
  winsim.log          the daemon's log
"""

from __future__ import annotations

import errno
import json
import logging
import os
import signal
import threading
from pathlib import Path
from typing import Any

from winsim import addressing, certs
from winsim.control import ControlServer
from winsim.fleet_config import FaultConfig, HostConfig, validate_fault
from winsim.host import build_spec, open_host
from winsim.inventory import write_inventory
from winsim.setup.timing import SCALE_VARIABLE
from winsim.wsman import EndpointSettings, FaultRule, HostEndpoint

FLEET_FILE = "fleet.json"
READY_FILE = "ready"
LOG = logging.getLogger("winsim.daemon")


def save_fleet(workdir: Path, hosts: list[HostConfig], block: tuple[int, int] | None = None,
               settings: dict[str, Any] | None = None) -> None:
    """``settings``: fleet-wide settings (fleet_config.FLEET_SETTINGS); None keeps those saved before."""
    if settings is None:
        settings = load_settings(workdir)
    document = {"block": list(block) if block else None, "hosts": [h.to_dict() for h in hosts],
                "settings": settings}
    (workdir / FLEET_FILE).write_text(json.dumps(document, indent=1), encoding="utf-8")


def load_fleet(workdir: Path) -> tuple[list[HostConfig], tuple[int, int] | None]:
    document = json.loads((workdir / FLEET_FILE).read_text(encoding="utf-8"))
    block = tuple(document["block"]) if document.get("block") else None
    return [HostConfig.from_dict(h) for h in document["hosts"]], block  # type: ignore[return-value]


def load_settings(workdir: Path) -> dict[str, Any]:
    path = workdir / FLEET_FILE
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("settings") or {})


def apply_settings(settings: dict[str, Any]) -> None:
    """The fleet's setup_time_scale paces every modelled setup run, unless the daemon's environment sets it."""
    scale = settings.get("setup_time_scale")
    if scale is not None and not os.environ.get(SCALE_VARIABLE):
        os.environ[SCALE_VARIABLE] = str(scale)


def fault_rules(faults: list[FaultConfig]) -> list[FaultRule]:
    return [FaultRule(action=f.action, on_request=f.on_request, probability=f.probability, count=f.count)
            for f in faults]


class FleetDaemon:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.configs, self.block = load_fleet(workdir)
        self.hosts: dict[str, Any] = {}
        self.endpoints: dict[str, HostEndpoint] = {}
        self.addresses: dict[str, str] = {}
        self.stopping = threading.Event()
        self.control = ControlServer(workdir, self.handle)

    # -- start-up ---------------------------------------------------------------------------------------------
    def boot_hosts(self) -> None:
        for config in self.configs:
            if config.unreachable:
                continue
            spec = build_spec(config.profile, config.computer_name, config.overrides)
            self.hosts[config.name] = open_host(self.workdir / "hosts" / config.name, spec)

    def bind_endpoints(self) -> None:
        ca_cert, ca_key = certs.create_ca(self.workdir / "pki")
        for attempt in range(8):
            block = self.block if (attempt == 0 and self.block) else addressing.random_block()
            try:
                self._bind_block(block, ca_cert, ca_key)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                LOG.warning("loopback block 127.%s.%s.* is partly taken (%s); trying another", *block, exc)
                self.stop_endpoints()
                continue
            self.block = block
            save_fleet(self.workdir, self.configs, block)
            return
        raise OSError(errno.EADDRINUSE, "no free loopback block found for the fleet")

    def _bind_block(self, block: tuple[int, int], ca_cert: Path, ca_key: Path) -> None:
        for index, config in enumerate(self.configs):
            address = addressing.address_for(block, index)
            self.addresses[config.name] = address
            if config.unreachable:
                continue
            cert, key = certs.issue_host_cert(ca_cert, ca_key, self.workdir / "pki" / "hosts", config.name, address)
            endpoint = HostEndpoint(self._settings(config, address, cert, key), self.hosts[config.name])
            endpoint.start()
            self.endpoints[config.name] = endpoint

    @staticmethod
    def _settings(config: HostConfig, address: str, cert: Path, key: Path) -> EndpointSettings:
        return EndpointSettings(
            address=address,
            http_port=5985 if "http" in config.listeners else None,
            https_port=5986 if "https" in config.listeners else None,
            cert_file=str(cert), key_file=str(key),
            users={config.username: config.password},
            auth_basic=config.auth_basic, auth_negotiate=config.auth_negotiate,
            allow_unencrypted=config.allow_unencrypted,
            max_envelope_kb=config.max_envelope_kb, max_timeout_ms=config.max_timeout_ms,
            max_shells_per_user=config.max_shells_per_user,
            latency_ms=config.latency_ms, faults=fault_rules(config.faults),
        )

    def run(self) -> None:
        (self.workdir / READY_FILE).unlink(missing_ok=True)
        self.boot_hosts()
        self.bind_endpoints()
        ca_file = self.workdir / "pki" / "ca.pem"
        write_inventory(self.workdir / "inventory.yml",
                        [(c, self.addresses[c.name]) for c in self.configs], ca_file)
        self.control.start(os.getpid())
        ready = self.workdir / READY_FILE
        staging = ready.with_suffix(".tmp")  # `winsim start` reads the file as soon as it exists: write it whole
        staging.write_text(json.dumps(self.addresses), encoding="utf-8")
        staging.replace(ready)
        LOG.info("fleet up: %d hosts", len(self.configs))
        while not self.stopping.wait(0.5):  # a timed wait keeps SIGTERM handling prompt
            pass
        self.shutdown()

    def stop_endpoints(self) -> None:
        for endpoint in self.endpoints.values():
            endpoint.stop()
        self.endpoints.clear()

    def shutdown(self) -> None:
        (self.workdir / READY_FILE).unlink(missing_ok=True)
        self.control.stop()
        self.stop_endpoints()
        LOG.info("fleet stopped")

    # -- control requests -------------------------------------------------------------------------------------
    def handle(self, op: str, args: dict[str, Any]) -> Any:
        if op == "ping":
            return {"hosts": len(self.configs)}
        if op == "stop":
            self.stopping.set()
            return {"stopping": True}
        if op == "metrics":
            return {name: self._metrics(name) for name in self._names(args.get("hosts"))}
        if op == "state":
            (name,) = self._names([args["host"]])
            return self.hosts[name].snapshot()
        if op == "set_faults":
            (name,) = self._names([args["host"]])
            faults = [validate_fault(FaultConfig(**f)) for f in args.get("faults", [])]
            self.endpoints[name].set_faults(fault_rules(faults), args.get("latency_ms"))
            return {"host": name, "faults": len(faults)}
        raise ValueError(f"unknown control operation '{op}'")

    def _names(self, wanted: list[str] | None) -> list[str]:
        running = list(self.hosts)
        if not wanted:
            return running
        lookup = {n.lower(): n for n in running}
        unknown = [w for w in wanted if w.lower() not in lookup]
        if unknown:
            raise KeyError(f"no running simulated host named {', '.join(unknown)} (hosts: {', '.join(running)})")
        return [lookup[w.lower()] for w in wanted]

    def _metrics(self, name: str) -> dict[str, Any]:
        host = self.hosts[name]
        return {"address": self.addresses[name], **self.endpoints[name].metrics(), **host.counters}


def main(workdir: Path) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    apply_settings(load_settings(workdir))
    daemon = FleetDaemon(workdir)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: daemon.stopping.set())
    try:
        daemon.run()
    except Exception:
        LOG.exception("the fleet daemon failed")
        daemon.shutdown()
        return 1
    return 0
