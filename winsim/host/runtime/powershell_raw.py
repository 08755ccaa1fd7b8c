"""Windows PowerShell running the one-liners an administrator sends with Ansible's `raw`.

Modelled: statements on lines or separated by `;`, comments, 'single' and "double" quoted strings (with
$env:NAME and backtick escapes), $env:NAME, $true/$false/$null, [Environment]::MachineName / UserName /
OSVersion[.Version|.VersionString|.ServicePack|.Platform], $PSVersionTable.PSVersion[.Major|.Minor],
Write-Output / echo / write, Write-Host, Start-Sleep (really sleeps), exit N, Set-StrictMode, and running the
programs in programs.py. cmd.exe-only commands (ver...) get PowerShell's CommandNotFoundException. Anything
else (pipelines, script blocks, other cmdlets and variables) is refused before any statement runs.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from winsim.host.osinfo import os_facts, powershell_version, version_tuple
from winsim.host.paths import WinPath
from winsim.host.runtime.context import ProcessContext
from winsim.host.runtime.programs import is_modelled_program, run_program
from winsim.host.runtime.result import Output, Unmodelled

_CMD_ONLY = frozenset(("ver", "vol", "assoc", "ftype", "mklink", "title", "color", "verify", "dpath"))
_UNSUPPORTED_OUTSIDE_QUOTES = set("|{}()@,=&<>`")
_ENV_IN_STRING = re.compile(r"\$(?:\{env:([^}]+)\}|env:([A-Za-z0-9_]+))|\$", re.I)
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class _Token:
    kind: str   # "word", "single", "double"
    text: str   # unquoted text (for "double": before expansion)


@dataclass
class _Statement:
    text: str
    line: int
    tokens: list[_Token]
    column: int = 1                 # where it starts on its line
    program: WinPath | None = None  # resolved when the statement runs a program


@dataclass
class Table:
    """An object PowerShell formats as a table."""
    headers: list[str]
    values: list[str] = field(default_factory=list)

    def render(self) -> str:
        widths = [max(len(h), len(v)) for h, v in zip(self.headers, self.values, strict=True)]
        rows = [self.headers, ["-" * len(h) for h in self.headers], self.values]
        lines = [" ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
        return "\r\n" + "\r\n".join(lines) + "\r\n\r\n\r\n"


class _Exit(Exception):  # control flow: `exit N` ends powershell.exe
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


# -- parsing ------------------------------------------------------------------------------------------------------
def _split_statements(script: str) -> list[tuple[str, int]]:
    statements, current, quote, line = [], [], "", 1
    start_line = 1
    i = 0
    while i < len(script):
        char = script[i]
        if quote:
            current.append(char)
            if char == "`" and quote == '"' and i + 1 < len(script):
                current.append(script[i + 1])
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current.append(char)
        elif char == "#" and (not current or current[-1] in " \t"):
            while i < len(script) and script[i] != "\n":
                i += 1
            continue
        elif char in "\n;":
            statements.append(("".join(current).strip(), start_line))
            current = []
            start_line = line + (char == "\n")
        else:
            current.append(char)
        if char == "\n":
            line += 1
        i += 1
    statements.append(("".join(current).strip(), start_line))
    return [(text, number) for text, number in statements if text]


def _tokenize(text: str) -> list[_Token]:
    tokens, i = [], 0
    while i < len(text):
        char = text[i]
        if char in " \t\r":
            i += 1
        elif char in "'\"":
            value, i = _read_quoted(text, i)
            tokens.append(_Token("single" if char == "'" else "double", value))
        else:
            start = i
            while i < len(text) and text[i] not in " \t\r'\"":
                if text[i] in _UNSUPPORTED_OUTSIDE_QUOTES:
                    raise Unmodelled(text)
                i += 1
            tokens.append(_Token("word", text[start:i]))
    return tokens


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    quote, value, i = text[start], [], start + 1
    while i < len(text):
        char = text[i]
        if char == quote and text[i + 1:i + 2] == quote:
            value.append(quote)
            i += 2
            continue
        if char == quote:
            return "".join(value), i + 1
        if char == "`" and quote == '"' and i + 1 < len(text):
            value.append("`" + text[i + 1])
            i += 2
            continue
        value.append(char)
        i += 1
    raise Unmodelled(text, " (an unterminated string)")


def parse_script(script: str) -> list[_Statement]:
    lines = script.split("\n")
    statements = [_Statement(text, line, _tokenize(text), lines[line - 1].find(text) + 1 if line <= len(lines) else 1)
                  for text, line in _split_statements(script)]
    for statement in statements:
        _check(statement)
    return statements


def _check(statement: _Statement) -> None:
    head = statement.tokens[0]
    if head.kind != "word" or head.text.startswith(("$", "[")) or _NUMBER.match(head.text):
        if len(statement.tokens) > 1:
            raise Unmodelled(statement.text)
        return
    name = head.text.casefold()
    args = statement.tokens[1:]
    if name in ("write-output", "echo", "write", "write-host"):
        if any(t.kind == "word" and t.text.startswith("-") for t in args):
            raise Unmodelled(statement.text)
    elif name in ("start-sleep", "sleep"):
        _sleep_seconds(statement)
    elif name == "exit":
        if len(args) > 1 or (args and not re.fullmatch(r"-?\d+", args[0].text)):
            raise Unmodelled(statement.text)
    elif name == "set-strictmode":
        words = [t.text.casefold() for t in args]
        if words not in (["-off"],) and not (len(words) == 2 and words[0] in ("-version", "-v")):
            raise Unmodelled(statement.text)
    elif "-" in name and name not in _CMD_ONLY:
        raise Unmodelled(statement.text)  # a cmdlet this model does not have


def _sleep_seconds(statement: _Statement) -> float:
    words = [t.text for t in statement.tokens[1:]]
    if len(words) == 1 and words[0].isdigit():
        return float(words[0])
    if len(words) == 2 and words[1].isdigit():
        parameter = words[0].casefold()
        if "-seconds".startswith(parameter) and len(parameter) > 1:
            return float(words[1])
        if "-milliseconds".startswith(parameter) and len(parameter) > 1:
            return int(words[1]) / 1000
    raise Unmodelled(statement.text)


# -- evaluation ---------------------------------------------------------------------------------------------------
def _expand_string(ctx: ProcessContext, text: str, statement: _Statement) -> str:
    def unescape(chunk: str) -> str:
        return re.sub(r"`(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), chunk, flags=re.S)

    out, last = [], 0
    for match in _ENV_IN_STRING.finditer(text):
        if match.start() and text[match.start() - 1] == "`":
            continue
        name = match.group(1) or match.group(2)
        if name is None:
            following = text[match.end():match.end() + 1]
            if following and (following.isalnum() or following in "_{(:"):
                raise Unmodelled(statement.text, " (only $env: variables are, in strings)")
            continue
        out += [unescape(text[last:match.start()]), ctx.env.get(name, "")]
        last = match.end()
    out.append(unescape(text[last:]))
    return "".join(out)


def _version_table(version: str) -> Table:
    parts = [int(p) for p in version_tuple(version)] + [-1] * 4
    if len(version_tuple(version)) == 2:
        parts[2:4] = [-1, -1]
    return Table(["Major", "Minor", "Build", "Revision"], [str(p) for p in parts[:4]])


def _expression(ctx: ProcessContext, token: _Token, statement: _Statement) -> object:
    if token.kind == "single":
        return token.text
    if token.kind == "double":
        return _expand_string(ctx, token.text, statement)
    text = token.text
    lowered = text.casefold()
    if lowered.startswith(("$env:", "${env:")):
        return ctx.env.get(text.split(":", 1)[1].rstrip("}"))
    if lowered in ("$true", "$false"):
        return "True" if lowered == "$true" else "False"
    if lowered == "$null":
        return None
    if lowered.startswith("$psversiontable.psversion"):
        version = powershell_version(ctx.host.registry) or "1.0"
        return _member(_version_table(version), lowered[len("$psversiontable.psversion"):], statement)
    environment = re.match(r"^\[(system\.)?environment\]::(\w+)(.*)$", lowered)
    if environment:
        return _environment_member(ctx, environment.group(2), environment.group(3), statement)
    if text.startswith("$") or text.startswith("["):
        raise Unmodelled(statement.text)
    return text  # a bare word or number is its own text


def _member(table: Table, path: str, statement: _Statement) -> object:
    if not path:
        return table
    for header, value in zip(table.headers, table.values, strict=True):
        if path == "." + header.casefold():
            return value
    raise Unmodelled(statement.text)


def _environment_member(ctx: ProcessContext, member: str, rest: str, statement: _Statement) -> object:
    if member == "machinename" and not rest:
        return ctx.host.name
    if member == "username" and not rest:
        return ctx.user
    if member != "osversion":
        raise Unmodelled(statement.text)
    facts = os_facts(ctx.host.registry)
    table = Table(["Platform", "ServicePack", "Version", "VersionString"],
                  ["Win32NT", facts.csd_version, facts.dotnet_version, facts.version_string])
    if rest == ".version":
        return _version_table(facts.dotnet_version)
    return _member(table, rest, statement)


def _render(value: object) -> str:
    if value is None:
        return ""
    return value.render() if isinstance(value, Table) else f"{value}\r\n"


def _not_recognized(statement: _Statement, name: str) -> Output:
    column = statement.column + statement.text.find(name) + len(name)
    return Output(stderr=(
        f"The term '{name}' is not recognized as the name of a cmdlet, function, script file, or operable program. "
        "Check the spelling of the name, or if a path was included, verify that the path is correct and try "
        f"again.\r\nAt line:{statement.line} char:{column}\r\n+ {name} <<<< \r\n"
        f"    + CategoryInfo          : ObjectNotFound: ({name}:String) [], CommandNotFoundException\r\n"
        "    + FullyQualifiedErrorId : CommandNotFoundException\r\n \r\n"), rc=1)


def _argument_text(ctx: ProcessContext, tokens: list[_Token], statement: _Statement) -> str:
    words = []
    for token in tokens:
        value = token.text if token.kind == "single" else (
            _expand_string(ctx, token.text, statement) if token.kind == "double" or "$" in token.text else token.text)
        words.append(f'"{value}"' if " " in value else value)
    return " ".join(words)


def _plan(ctx: ProcessContext, statement: _Statement) -> None:
    """Resolve the programs statements run; refuse programs the model does not have."""
    head = statement.tokens[0]
    name = head.text.casefold()
    builtin = name in ("write-output", "echo", "write", "write-host", "start-sleep", "sleep", "exit",
                       "set-strictmode") or name in _CMD_ONLY
    if head.kind != "word" or head.text.startswith(("$", "[")) or _NUMBER.match(head.text) or builtin:
        return
    program = ctx.find_program(head.text)
    if program is None or not is_modelled_program(program):
        raise Unmodelled(statement.text)
    statement.program = program


def _run(ctx: ProcessContext, statement: _Statement) -> Output:
    head, args = statement.tokens[0], statement.tokens[1:]
    name = head.text.casefold()
    if statement.program is not None:
        return run_program(ctx, statement.program, _argument_text(ctx, args, statement))
    if head.kind != "word" or head.text.startswith(("$", "[")) or _NUMBER.match(head.text):
        return Output(stdout=_render(_expression(ctx, head, statement)))
    if name in ("write-output", "echo", "write"):
        return Output(stdout="".join(_render(_expression(ctx, t, statement)) for t in args))
    if name == "write-host":
        values = [_expression(ctx, t, statement) for t in args]
        return Output(stdout=" ".join("" if v is None else str(v) for v in values) + "\r\n")
    if name == "exit":
        raise _Exit(int(args[0].text) if args else 0)
    if name == "set-strictmode":
        return Output()
    return _not_recognized(statement, head.text)


def run_script(ctx: ProcessContext, script: str) -> Output:
    """powershell.exe -EncodedCommand/-Command: the exit code is N after `exit N`, else 1 if the last statement
    failed, else 0. The host is locked per statement, never while sleeping."""
    statements = parse_script(script)
    with ctx.host.lock:
        for statement in statements:
            _plan(ctx, statement)
    out, failed = Output(), False
    for statement in statements:
        if statement.tokens[0].text.casefold() in ("start-sleep", "sleep") and statement.program is None:
            time.sleep(_sleep_seconds(statement))
            failed = False
            continue
        try:
            if statement.program is not None and statement.program.name.casefold() == "powershell.exe":
                result = _run(ctx, statement)  # a nested powershell locks for itself
            else:
                with ctx.host.lock:
                    result = _run(ctx, statement)
        except _Exit as exit_:
            out.rc = exit_.code & 0xFFFFFFFF  # a process exit code is a DWORD: exit -1 is 4294967295
            return out
        out.stdout += result.stdout
        out.stderr += result.stderr
        failed = result.rc != 0
    out.rc = 1 if failed else 0
    return out
