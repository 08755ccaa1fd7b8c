"""A simulated Windows host: registry, file system, services, event log, and what runs on it (Seam 1).

Its whole state lives in a state directory: `host.json` (registry, file metadata, services, event log,
the spec it was provisioned from) and `blobs/` (file contents). Saves are atomic (temporary file, then rename).
Every state change counts in counters["writes"]; every command in counters["commands"] and
counters["commands_by_kind"]. Counters describe this run of the host and are not saved.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from winsim.host import clock
from winsim.host.architecture import Architecture, architecture_of
from winsim.host.blobs import BlobStore
from winsim.host.environment import (
    SESSION_ENVIRONMENT,
    EnvironmentBlock,
    build_environment,
    computer_name,
)
from winsim.host.eventlog import EventLog, EventType
from winsim.host.filesystem import FileSystem
from winsim.host.osinfo import OsFacts, os_facts, powershell_version
from winsim.host.provisioning import provision
from winsim.host.registry import Registry
from winsim.host.runtime import CommandResult, execute
from winsim.host.services import ServiceControlManager

STATE_FILE = "host.json"
EVENTLOG_QUALIFIERS = 0x8000  # the EventLog service's own events (6005, 6006, 6009) carry these
STATE_FORMAT = 1


class Host:
    def __init__(self, state_dir: Path) -> None:
        """An empty host (no drives, no registry values): use Host.create or Host.load."""
        self.state_dir = Path(state_dir)
        self.lock = threading.RLock()
        self.counters: dict = {"commands": 0, "commands_by_kind": {}, "writes": 0}
        self.spec: dict = {}
        self._dirty = False
        self.blobs = BlobStore(self.state_dir / "blobs")
        self._attach(Registry(self._changed), FileSystem(self.blobs, self._changed))

    def _attach(self, registry: Registry, fs: FileSystem, eventlog: EventLog | None = None) -> None:
        self.registry = registry
        self.fs = fs
        self.eventlog = eventlog or EventLog(lambda: self.name, self._changed)
        self.services = ServiceControlManager(self.registry, self.fs, self.eventlog, self._changed)

    def _changed(self) -> None:
        self.counters["writes"] += 1
        self._dirty = True

    # -- creating, loading, saving --------------------------------------------------------------------------------
    @staticmethod
    def is_saved(state_dir: Path) -> bool:
        return (Path(state_dir) / STATE_FILE).is_file()

    @classmethod
    def create(cls, state_dir: Path, spec: dict) -> Host:
        """Provision a new host from a spec (see profiles.build_spec) and save it. It is not booted yet."""
        host = cls(state_dir)
        with host.lock:
            host.spec = spec
            provision(host, spec)
            host.save()
        return host

    @classmethod
    def load(cls, state_dir: Path) -> Host:
        """The saved host exactly as it was saved (services included): no reboot."""
        host = cls(state_dir)
        data = json.loads((host.state_dir / STATE_FILE).read_text(encoding="utf-8"))
        if data.get("format") != STATE_FORMAT:
            raise ValueError(f"{host.state_dir / STATE_FILE}: unknown state format {data.get('format')!r}")
        host.spec = data["spec"]
        host.blobs.load_small(data["small_contents"])
        host._attach(Registry.from_json(data["registry"], host._changed),
                     FileSystem.from_json(data["filesystem"], host.blobs, host._changed),
                     EventLog.from_json(data["eventlog"], lambda: host.name, host._changed))
        host.services.load_json(data["services"])
        return host

    def save(self) -> None:
        with self.lock:
            referenced = self.fs.referenced_blobs()
            data = {"format": STATE_FORMAT, "spec": self.spec, "saved": clock.now(),
                    "registry": self.registry.to_json(), "filesystem": self.fs.to_json(),
                    "services": self.services.to_json(), "eventlog": self.eventlog.to_json(),
                    "small_contents": self.blobs.small_to_json(referenced)}
            self.state_dir.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".host.", suffix=".tmp", dir=self.state_dir)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(data, stream, separators=(",", ":"))
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(temporary, self.state_dir / STATE_FILE)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            self.blobs.prune(referenced)
            self._dirty = False

    def save_if_changed(self) -> bool:
        with self.lock:
            if self._dirty:
                self.save()
                return True
            return False

    @contextmanager
    def transaction(self) -> Iterator[Host]:
        """Hold the host for a series of changes; they are saved when the block ends."""
        with self.lock:
            try:
                yield self
            finally:
                self.save_if_changed()

    # -- power ----------------------------------------------------------------------------------------------------
    def boot(self) -> None:
        """Start Windows: the event log starts (6009, 6005), then the SCM starts the auto-start services."""
        with self.lock:
            facts = self.os
            banner = f"{facts.version} {facts.build} {facts.csd_version} Uniprocessor Free.".replace("  ", " ")
            self.eventlog.write("System", "EventLog", 6009, EventType.INFORMATION,
                                f"Microsoft (R) Windows NT (R) {banner}", [facts.version, str(facts.build)],
                                qualifiers=EVENTLOG_QUALIFIERS)
            self.eventlog.write("System", "EventLog", 6005, EventType.INFORMATION, "The Event log service was started.",
                                qualifiers=EVENTLOG_QUALIFIERS)
            self.services.boot()
            self.save()

    def shutdown(self) -> None:
        with self.lock:
            self.services.reset()
            self.eventlog.write("System", "EventLog", 6006, EventType.INFORMATION, "The Event log service was stopped.",
                                qualifiers=EVENTLOG_QUALIFIERS)
            self.save()

    def reboot(self) -> None:
        self.shutdown()
        self.boot()

    # -- what Windows reports about itself (all read from the registry) -------------------------------------------
    @property
    def name(self) -> str:
        return computer_name(self.registry)

    @property
    def os(self) -> OsFacts:
        return os_facts(self.registry)

    @property
    def architecture(self) -> Architecture:
        return architecture_of(str(self.registry.read(SESSION_ENVIRONMENT, "PROCESSOR_ARCHITECTURE", "x86")))

    @property
    def powershell_version(self) -> str | None:
        return powershell_version(self.registry)

    def environment(self, user: str | None = None, *, wow64: bool = False) -> EnvironmentBlock:
        with self.lock:
            return build_environment(self.registry, user=user, wow64=wow64)

    # -- Seam 1 -----------------------------------------------------------------------------------------------------
    def run_command(self, command: str, arguments: str, stdin: bytes, *, user: str | None = None) -> CommandResult:
        """Run what WinRM delivered (rsp:Command, rsp:Arguments, the whole stdin); `user` is the account the
        shell belongs to (Administrator when not given). Thread-safe; saves the state first if it changed."""
        result = execute(self, command, arguments, stdin, user)
        with self.lock:
            self.counters["commands"] += 1
            by_kind = self.counters["commands_by_kind"]
            by_kind[result.kind] = by_kind.get(result.kind, 0) + 1
            self.save_if_changed()
        return result

    def snapshot(self) -> dict:
        with self.lock:
            facts = self.os
            return {
                "computer_name": self.name,
                "os": {"version": facts.version, "build": facts.build, "csd_version": facts.csd_version,
                       "product_name": facts.product_name},
                "arch": self.architecture.key,
                "processor_architecture": self.architecture.processor_architecture,
                "powershell_version": self.powershell_version,
                "drives": [{"letter": d.letter, "total_bytes": d.total_bytes, "free_bytes": d.free_bytes,
                            "filesystem": d.filesystem} for d in self.fs.drives()],
                "registry": self.registry.to_json(),
                "services": self.services.to_snapshot(),
                "processes": [{"pid": p.pid, "image": p.image, "services": p.services, "modules": p.modules}
                              for p in self.services.processes()],
                "files": [{"path": i.path, "size": i.size, "mtime": clock.iso(i.mtime), "sha256": i.sha256,
                           "attributes": i.attributes} for i in self.fs.walk() if not i.is_dir],
                "directories": [{"path": i.path, "mtime": clock.iso(i.mtime)} for i in self.fs.walk() if i.is_dir],
                "events": self.eventlog.to_snapshot(),
            }
