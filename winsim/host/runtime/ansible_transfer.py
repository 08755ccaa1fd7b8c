"""Ansible's bootstrap wrapper (ansible-core 2.19 winrm put_file / fetch_file) as Windows PowerShell runs it.

The command is `PowerShell ... -EncodedCommand <bootstrap_wrapper.ps1>`; stdin carries the exec wrapper's
JSON, a `\\0\\0\\0\\0` line, the exec manifest naming the action and its params, and for put_file another
`\\0\\0\\0\\0` line then the file as base64 lines. What runs is read from that manifest:
- the wrapper first compares $PSVersionTable.PSVersion with the version it requires (read from the script)
  and, on an older PowerShell, prints its own failure JSON and exits: so Ansible's file transfer fails on
  PowerShell 2.0 hosts as it would on Windows;
- winrm_put_file.ps1 (Path): [File]::Create then the chunks; answers {"sha1": "<hex>"};
- winrm_fetch_file.ps1 (Path, BufferSize, Offset): base64 of that slice, "[DIR]", or "<Path> does not exist";
- any other action (a module) is not modelled.
Failures inside the action come back as the exec wrapper reports them: failure JSON on stdout and rc 1.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass

from winsim.host.errors import (
    ERROR_ACCESS_DENIED,
    ERROR_DISK_FULL,
    ERROR_PATH_NOT_FOUND,
    ERROR_SHARING_VIOLATION,
    Win32Error,
)
from winsim.host.osinfo import powershell_version, version_tuple
from winsim.host.paths import parse
from winsim.host.runtime.context import ProcessContext
from winsim.host.runtime.result import CommandResult, Unmodelled, unmodelled_result

SEPARATOR = b"\n\0\0\0\0\n"
PUT_FILE = "winrm_put_file.ps1"
FETCH_FILE = "winrm_fetch_file.ps1"
_VERSION_GATE = re.compile(
    r"if\s*\(\s*\$PSVersionTable\.PSVersion\s+-lt\s+\[Version\]\s*[\"']([\d.]+)[\"']\s*\)\s*\{\s*"
    r"'([^']*)'\s*exit\s+(\d+)", re.I)


@dataclass
class BootstrapInput:
    wrapper: dict           # {"name": "exec_wrapper", "script": ..., "params": ...}
    manifest: dict          # {"scripts": ..., "actions": [{"name", "params"}], ...}
    action_input: bytes | None


def parse_bootstrap_input(stdin: bytes) -> BootstrapInput | None:
    """The bootstrap wrapper's stdin, or None when stdin is not one."""
    if not stdin.startswith(b"{") or SEPARATOR not in stdin:
        return None
    parts = stdin.split(SEPARATOR, 2)
    try:
        wrapper, manifest = json.loads(parts[0]), json.loads(parts[1])
    except ValueError:
        return None
    if not isinstance(wrapper, dict) or not {"script", "params"} <= set(wrapper) or not isinstance(manifest, dict):
        return None
    return BootstrapInput(wrapper, manifest, parts[2] if len(parts) > 2 else None)


def run_bootstrap(ctx: ProcessContext, script: str, request: BootstrapInput) -> CommandResult:
    actions = request.manifest.get("actions") or []
    names = [str(a.get("name")) for a in actions if isinstance(a, dict)]
    kind = "unmodelled"
    if len(names) == 1:
        kind = {PUT_FILE: "put_file", FETCH_FILE: "fetch_file"}.get(names[0], "unmodelled")
    gate = _VERSION_GATE.search(script)
    with ctx.host.lock:
        installed = powershell_version(ctx.host.registry) or "1.0"
    if gate and version_tuple(installed) < version_tuple(gate.group(1)):
        return CommandResult((gate.group(2) + "\r\n").encode(), b"", int(gate.group(3)), kind)
    if kind == "unmodelled":
        return unmodelled_result(Unmodelled(
            f"Ansible exec wrapper running {', '.join(names) or 'nothing'}",
            f" (only {PUT_FILE} and {FETCH_FILE} are)"))
    params = actions[0].get("params") or {}
    with ctx.host.lock:
        if kind == "put_file":
            return _put_file(ctx, str(params.get("Path", "")), request.action_input or b"")
        return _fetch_file(ctx, params)


def _wrapper_failure(message: str, kind: str) -> CommandResult:
    body = json.dumps({"failed": True, "msg": f"failure during exec_wrapper: {message}",
                       "exception": message}, separators=(",", ":"))
    return CommandResult((body + "\r\n").encode(), b"", 1, kind)


def _dotnet_message(error: Win32Error, path: str) -> str:
    """How .NET words a failed file call (the text PowerShell puts in the error record)."""
    if error.code == ERROR_PATH_NOT_FOUND:
        return f"Could not find a part of the path '{path}'."
    if error.code == ERROR_ACCESS_DENIED:
        return f"Access to the path '{path}' is denied."
    if error.code == ERROR_SHARING_VIOLATION:
        return f"The process cannot access the file '{path}' because it is being used by another process."
    if error.code == ERROR_DISK_FULL:
        return "There is not enough space on the disk.\r\n"
    return str(error)


def _put_file(ctx: ProcessContext, path: str, payload: bytes) -> CommandResult:
    fs = ctx.host.fs
    try:
        full = str(parse(path, ctx.cwd))
        fs.write_file(full, b"")  # [File]::Create: creates or truncates
    except Win32Error as error:
        return _wrapper_failure(f'Exception calling "Create" with "1" argument(s): "{_dotnet_message(error, path)}"',
                                "put_file")
    chunks: list[bytes] = []
    for line in payload.split(b"\n"):
        line = line.strip(b"\r")
        try:
            chunks.append(base64.b64decode(line, validate=True))
        except (binascii.Error, ValueError):
            return _wrapper_failure('Exception calling "FromBase64String" with "1" argument(s): "The input is not '
                                    'a valid Base-64 string as it contains a non-base 64 character, more than two '
                                    'padding characters, or an illegal character among the padding characters. "',
                                    "put_file")
    content = b"".join(chunks)
    try:
        fs.write_file(full, content)
    except Win32Error as error:
        # The chunks that fitted stay written, as they would in a FileStream that ran out of space.
        room, written = fs.drive(parse(full).drive).free_bytes, 0
        for chunk in chunks:
            if written + len(chunk) > room:
                break
            written += len(chunk)
        fs.write_file(full, content[:written])
        return _wrapper_failure(f'Exception calling "Write" with "3" argument(s): "{_dotnet_message(error, path)}"',
                                "put_file")
    sha1 = hashlib.sha1(content).hexdigest()
    return CommandResult((json.dumps({"sha1": sha1}, separators=(",", ":")) + "\r\n").encode(), b"", 0, "put_file")


def _fetch_file(ctx: ProcessContext, params: dict) -> CommandResult:
    path = str(params.get("Path", ""))
    try:
        info = ctx.host.fs.stat(path, ctx.cwd)
    except Win32Error:
        info = None
    if info is None:
        return CommandResult(b"", f"{path} does not exist\r\n".encode(), 1, "fetch_file")
    if info.is_dir:
        return CommandResult(b"[DIR]\r\n", b"", 0, "fetch_file")
    try:
        size, offset = int(params.get("BufferSize", 0)), int(params.get("Offset", 0))
        data = ctx.host.fs.read_file(path, ctx.cwd, offset=offset, length=size)
    except (ValueError, Win32Error) as error:
        return _wrapper_failure(str(error), "fetch_file")
    return CommandResult((base64.b64encode(data).decode() + "\r\n").encode() if data else b"", b"", 0, "fetch_file")
