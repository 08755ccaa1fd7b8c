"""The process a command runs in: its host, user, environment block and current directory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from winsim.host import pe
from winsim.host.environment import EnvironmentBlock, build_environment
from winsim.host.errors import Win32Error
from winsim.host.paths import WinPath, parse

if TYPE_CHECKING:
    from winsim.host.machine import Host

DEFAULT_USER = "Administrator"


@dataclass
class ProcessContext:
    host: Host
    user: str
    env: EnvironmentBlock
    cwd: WinPath
    stdin: bytes = b""

    @classmethod
    def for_logon(cls, host: Host, user: str | None, stdin: bytes = b"") -> ProcessContext:
        """A WinRM shell's process: the user's environment, started in the user's profile directory."""
        user = user or DEFAULT_USER
        env = build_environment(host.registry, user=user)
        profile = env.get("USERPROFILE", "")
        cwd = parse(profile) if profile and host.fs.is_dir(profile) else parse(env["SystemDrive"] + "\\")
        return cls(host, user, env, cwd, stdin)

    def find_program(self, name: str) -> WinPath | None:
        """The file CreateProcess/cmd.exe would run for `name`: looked up as given when it holds a path,
        otherwise in the current directory then along %Path%; PATHEXT extensions tried when it has none."""
        has_path = any(c in name for c in "\\/:")
        has_extension = "." in name.replace("/", "\\").rsplit("\\", 1)[-1]
        extensions = [""] if has_extension else [
            e for e in self.env.get("PATHEXT", ".COM;.EXE;.BAT;.CMD").split(";") if e]
        folders = [self.cwd] if has_path else [self.cwd, *self._path_folders()]
        for folder in folders:
            for extension in extensions:
                try:
                    candidate = parse(name + extension, folder)
                except Win32Error:
                    return None
                if self.host.fs.is_file(candidate):
                    return parse(self.host.fs.stat(candidate).path)
        return None

    def _path_folders(self) -> list[WinPath]:
        folders = []
        for entry in self.env.get("Path", "").split(";"):
            entry = entry.strip().strip('"')
            if entry:
                try:
                    folders.append(parse(entry, self.cwd))
                except Win32Error:
                    continue
        return folders

    def can_execute(self, program: WinPath) -> bool:
        """Whether the file is a PE image this host's processor runs (else CreateProcess fails with 193)."""
        info = pe.read_pe(self.host.fs.read_file(program, length=pe.pe_header_length()))
        return info is not None and not info.is_dll and self.host.architecture.can_run(info.machine)
