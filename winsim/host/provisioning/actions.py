"""What an installer does to a host, as data: directories, files, registry values, services.

Provisioning turns a spec into a list of these and applies them; a setup program that reads INF files can
produce and apply the same actions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from winsim.host import pe
from winsim.host.environment import build_environment, expand
from winsim.host.registry import RegType
from winsim.host.services import SERVICE_WIN32_OWN_PROCESS, START_DEMAND

if TYPE_CHECKING:
    from winsim.host.machine import Host


@dataclass(frozen=True)
class MakeDirectory:
    path: str


@dataclass(frozen=True)
class WriteBinary:
    """A PE-headed dummy image of the host's architecture (or `machine`), `size` bytes long."""
    path: str
    size: int
    mtime: float
    dll: bool = True
    version: str = ""
    machine: int | None = None


@dataclass(frozen=True)
class WriteData:
    path: str
    content: bytes
    mtime: float | None = None


@dataclass(frozen=True)
class SetValue:
    key: str
    name: str
    type: RegType
    data: object


@dataclass(frozen=True)
class CreateService:
    name: str
    display_name: str
    image_path: str
    service_type: int = SERVICE_WIN32_OWN_PROCESS
    start_type: int = START_DEMAND
    dependencies: tuple[str, ...] = ()
    parameters: dict[str, tuple[RegType, object]] = field(default_factory=dict)


Action = MakeDirectory | WriteBinary | WriteData | SetValue | CreateService


def apply(host: Host, actions: Iterable[Action]) -> None:
    """Carry the actions out in order. Paths may use %VAR% (expanded with the host's environment as it is
    when each action runs, so an action can rely on values an earlier one set)."""
    environment = None
    for action in actions:
        if isinstance(action, SetValue):
            host.registry.set_value(action.key, action.name, action.type, action.data)
            environment = None  # the value may be one the environment is built from
            continue
        if isinstance(action, CreateService):
            host.services.create_service(
                action.name, action.display_name, action.image_path, service_type=action.service_type,
                start_type=action.start_type, dependencies=list(action.dependencies),
                parameters=action.parameters)
            continue
        environment = environment or build_environment(host.registry)
        path = expand(action.path, environment)
        if isinstance(action, MakeDirectory):
            host.fs.make_dir(path)
        elif isinstance(action, WriteBinary):
            machine = action.machine if action.machine is not None else host.architecture.pe_machine
            name = path.rsplit("\\", 1)[-1]
            image = pe.build_pe(machine, action.size, dll=action.dll, timestamp=int(action.mtime),
                                tag=f"winsim synthetic image {name}".encode(), file_version=action.version or None)
            host.fs.make_dir(path.rsplit("\\", 1)[0])
            host.fs.write_file(path, image, mtime=action.mtime)
        elif isinstance(action, WriteData):
            host.fs.make_dir(path.rsplit("\\", 1)[0])
            host.fs.write_file(path, action.content, mtime=action.mtime)
        else:
            raise TypeError(f"not an install action: {action!r}")
