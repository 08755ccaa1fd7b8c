"""cmd.exe running one command line (`cmd /c ...`, and every bare command pywinrm's run_cmd sends).

Modelled: %VAR% expansion, `&`, `&&`, `||`, the built-ins echo, ver, exit, type, set, cd (showing only), rem,
and the programs in programs.py. Other built-ins, pipes and redirection are refused as not modelled; a
program that is nowhere on the host gets cmd's own "is not recognized" answer.
"""

from __future__ import annotations

from collections.abc import Callable

from winsim.host.environment import expand
from winsim.host.errors import ERROR_ACCESS_DENIED, Win32Error, win32_message
from winsim.host.osinfo import os_facts, version_tuple
from winsim.host.runtime.commandline import cmd_operator_positions, split_arguments, split_first
from winsim.host.runtime.context import ProcessContext
from winsim.host.runtime.programs import is_modelled_program, run_program
from winsim.host.runtime.result import Output, Unmodelled

_UNMODELLED_BUILTINS = frozenset((
    "assoc", "break", "call", "chcp", "cls", "color", "copy", "date", "del", "dir", "dpath", "endlocal", "erase",
    "for", "ftype", "goto", "if", "keys", "md", "mkdir", "mklink", "move", "path", "pause", "popd", "prompt",
    "pushd", "rd", "ren", "rename", "rmdir", "setlocal", "shift", "start", "time", "title", "verify", "vol",
))

Step = Callable[[], Output]


class _Exit(Exception):  # control flow: `exit N` ends cmd.exe
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def run_command_line(ctx: ProcessContext, line: str) -> Output:
    """Everything in the line is checked against the model before any of it runs."""
    line = expand(line, ctx.env)
    positions = cmd_operator_positions(line)
    if any(op not in ("&", "&&", "||") for _, op in positions):
        raise Unmodelled(line.strip(), " (pipes and redirection are not)")
    pieces, start, connector = [], 0, "&"
    for position, op in positions:
        pieces.append((connector, line[start:position]))
        start, connector = position + len(op), op
    pieces.append((connector, line[start:]))
    with ctx.host.lock:
        steps = [(connector, text.strip(), _plan(ctx, text.strip())) for connector, text in pieces]
    out, errorlevel = Output(), 0
    for connector, text, step in steps:
        if (connector == "&&" and errorlevel) or (connector == "||" and not errorlevel):
            continue
        try:
            if split_first(text)[0].casefold().removesuffix(".exe").endswith("powershell"):
                result = step()  # powershell locks the host per statement, so its sleeps do not block it
            else:
                with ctx.host.lock:
                    result = step()
        except _Exit as exit_:
            out.rc = exit_.code & 0xFFFFFFFF  # a process exit code is a DWORD: exit -1 is 4294967295
            return out
        out.extend(result)
        errorlevel = result.rc
    out.rc = errorlevel
    return out


def _plan(ctx: ProcessContext, text: str) -> Step:
    if not text:
        return Output
    if text[:4].casefold() == "echo" and text[4:5] in ("", " ", "\t", "."):
        return lambda: _echo(text[4:])
    name, rest = split_first(text)
    word = name.casefold()
    if word == "ver" and not rest:
        return lambda: Output(stdout=f"\r\n{os_facts(ctx.host.registry).ver_banner}\r\n")
    if word == "rem":
        return Output
    if word == "exit":
        return _exit_step(text, rest)
    if word == "type":
        return lambda: _type(ctx, text, rest)
    if word == "set":
        return lambda: _set(ctx, text, rest)
    if word in ("cd", "chdir") and not rest:
        return lambda: Output(stdout=f"{ctx.cwd}\r\n")
    if word in _UNMODELLED_BUILTINS or word in ("cd", "chdir", "ver"):
        raise Unmodelled(text)
    program = ctx.find_program(name)
    if program is None:
        return lambda: _not_recognized(ctx, name)
    if not is_modelled_program(program):
        raise Unmodelled(text)
    return lambda: run_program(ctx, program, rest)


def _echo(rest: str) -> Output:
    if rest.startswith("."):
        return Output(stdout=rest[1:] + "\r\n")
    shown = rest[1:] if rest else ""
    if not shown.strip():
        return Output(stdout="ECHO is on.\r\n")
    if shown.strip().casefold() in ("on", "off"):
        return Output()
    return Output(stdout=shown + "\r\n")


def _exit_step(text: str, rest: str) -> Step:
    words = [w for w in rest.split() if w.casefold() != "/b"]
    if len(words) > 1 or (words and not words[0].lstrip("-").isdigit()):
        raise Unmodelled(text)
    code = int(words[0]) if words else 0

    def step() -> Output:
        raise _Exit(code)
    return step


def _type(ctx: ProcessContext, text: str, rest: str) -> Output:
    names = split_arguments(rest)
    if len(names) != 1 or any(c in names[0] for c in "*?"):
        raise Unmodelled(text)
    try:
        info = ctx.host.fs.stat(names[0], ctx.cwd)
        if info is not None and info.is_dir:
            raise Win32Error(ERROR_ACCESS_DENIED, names[0])
        data = ctx.host.fs.read_file(names[0], ctx.cwd)
    except Win32Error as error:
        return Output(stderr=win32_message(error.code) + "\r\n", rc=1)
    return Output(stdout=data.decode("utf-8", errors="replace"))


def _set(ctx: ProcessContext, text: str, rest: str) -> Output:
    if rest.startswith("/"):
        raise Unmodelled(text)
    if "=" in rest:
        name, _, value = rest.partition("=")
        if value:
            ctx.env[name] = value
        elif name in ctx.env:
            del ctx.env[name]
        return Output()
    shown = sorted((n for n in ctx.env if n.casefold().startswith(rest.strip().casefold())), key=str.casefold)
    if not shown:
        return Output(stderr=f"Environment variable {rest.strip()} not defined\r\n", rc=1)
    return Output(stdout="".join(f"{n}={ctx.env[n]}\r\n" for n in shown))


def _not_recognized(ctx: ProcessContext, name: str) -> Output:
    code = 9009 if version_tuple(os_facts(ctx.host.registry).version) >= (6, 0) else 1
    return Output(stderr=f"'{name}' is not recognized as an internal or external command,\r\n"
                         "operable program or batch file.\r\n", rc=code)
