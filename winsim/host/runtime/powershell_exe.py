"""powershell.exe as Windows runs it: the script it is given runs in winsim's PowerShell interpreter.

- The script comes from -EncodedCommand, -Command or -Command - (stdin); the version the host has installed
  decides the semantics (2.0 unless the host has 5.1).
- stdin: with -EncodedCommand/-Command and stdin redirected, the top level sees stdin as `$input`, one string
  per line, decoded with the console's OEM code page (437 on an English Windows) and split as
  TextReader.ReadLine splits (about_Automatic_Variables, $input; powershell.exe -EncodedCommand).
- stdout: the success stream as Out-Default writes it; Write-Host lines too. stderr: each error record of the
  error stream, as the console host shows it.
- Exit code: `exit N` -> N (as a DWORD); a terminating error -> 1; else 0 (see the powershell-semantics
  reference, section 12).
- A native program the script runs (`& 'C:\\x.exe' args`, `powershell.exe -EncodedCommand ...`) runs on the
  same host: its stdin is the pipeline input sent to it, one line each, encoded with $OutputEncoding (ASCII in
  Windows PowerShell); its stdout lines come back as strings, $LASTEXITCODE is its exit code, and its
  stderr goes to this process's stderr.
"""

from __future__ import annotations

import re

from winsim.host.osinfo import clr_version, powershell_version, psversion, version_tuple
from winsim.host.runtime.commandline import split_arguments
from winsim.host.runtime.context import ProcessContext
from winsim.host.runtime.powershell_cli import PowerShellCall, parse_powershell_arguments
from winsim.host.runtime.result import Output, Unmodelled

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def stdin_lines(stdin: bytes) -> list[str]:
    lines = _LINE_BREAK.split(stdin.decode("cp437"))
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def semantics_version(installed: str) -> tuple[int, int]:
    return (5, 1) if version_tuple(installed) >= (3, 0) else (2, 0)


def run_powershell(ctx: ProcessContext, call: PowerShellCall) -> Output:
    """Run powershell.exe's script in the process `ctx` (its host, user, environment, cwd and stdin)."""
    import winsim.powershell.clr.library  # noqa: F401 - the .NET class library fills the type registry
    from winsim.powershell import coverage
    from winsim.powershell.clr.library.host.io.win32.handles import release_process
    from winsim.powershell.engine import Engine, NotModelled
    from winsim.powershell.engine import PowerShellRuntime as Runtime
    from winsim.powershell.formatting import out_default
    if call.error:
        return Output(stderr=call.error + "\r\n", rc=1)
    if call.script is None:
        raise Unmodelled("powershell.exe", f" (powershell -{call.source} is not)")
    with ctx.host.lock:
        installed = powershell_version(ctx.host.registry) or "1.0"
        clr = clr_version(ctx.host.registry)
    if version_tuple(installed) < (2, 0):
        failure = powershell1_failure(call.script)
        if failure is not None:
            return Output(stderr=failure, rc=1)
    runtime = Runtime(ctx.host, ctx, semantics_version(installed), clr)
    runtime.ps_version_text = psversion(installed)
    engine = Engine(runtime)
    stderr: list[str] = []
    engine.run_program = _program_runner(ctx, stderr)
    lines = stdin_lines(ctx.stdin) if ctx.stdin and call.source != "stdin" else None
    try:
        result = engine.run(call.script, input_lines=lines)
    except NotModelled as error:
        raise Unmodelled(str(error)) from error
    finally:
        coverage.flush()
        release_process(ctx.host, ctx)  # a process that ends closes its files, flushed or not
    host_lines = "".join(line.rstrip("\n") + "\r\n" for line in result.host_output)
    out = Output(stdout=out_default(result.output, runtime) + host_lines)
    out.stderr = "".join(stderr) + "".join(format_error(record) for record in result.errors)
    if result.terminating is not None:
        out.stderr += format_error(result.terminating)
    out.rc = result.exit_code & 0xFFFFFFFF  # a process exit code is a DWORD: exit -1 is 4294967295
    return out


_TRY = re.compile(r"^(\s*)try(?=\s*(\{|$))", re.IGNORECASE | re.MULTILINE)


def powershell1_failure(script: str) -> str | None:
    """PowerShell 1.0 has no try/catch: a script using them stops at the first `try`, a command it cannot find
    (about_Try_Catch_Finally appeared in 2.0). What 1.0 writes to stderr then; None for a script without one."""
    match = _TRY.search(script)
    if match is None:
        return None
    line_number = script.count("\n", 0, match.start()) + 1
    line = script.split("\n")[line_number - 1]
    column = len(match.group(1)) + 4
    return ("The term 'try' is not recognized as a cmdlet, function, operable program, or script file. Verify the "
            f"term and try again.\r\nAt line:{line_number} char:{column}\r\n+ {line[:column - 1]} <<<< "
            f"{line[column - 1:].lstrip()}\r\n")


def format_error(record) -> str:
    """An error record as the console host writes it to stderr (message, category, error id)."""
    exception = record.exception
    reason = type(exception).__clr_type__.name
    target = record.target
    shown = "" if target is None else str(target)
    return (f"{record.message}\r\n"
            f"    + CategoryInfo          : {record.category}: ({shown}:{'String' if shown else ''}) [], {reason}\r\n"
            f"    + FullyQualifiedErrorId : {record.error_id}\r\n \r\n")


def _program_runner(ctx: ProcessContext, stderr: list[str]):
    """Engine.run_program: a native program started by the script, on the same host."""
    from winsim.host.runtime.programs import is_modelled_program, run_program

    def run(session, frame, name: str, arguments: list, items) -> list[str]:
        from winsim.powershell.engine import to_string
        with ctx.host.lock:
            program = ctx.find_program(name)
        if program is None:
            from winsim.powershell.automation import errors
            raise errors.command_not_found(name)
        words = [to_string(a) for a in arguments]
        piped = b"".join((to_string(item) + "\r\n").encode("ascii", errors="replace") for item in items or ())
        if items is None and not _stdin_read(session):
            piped = ctx.stdin  # no pipeline input: the child inherits this process's stdin, still unread
        child = ProcessContext(ctx.host, ctx.user, ctx.env, ctx.cwd, piped)
        if program.name.casefold() == "powershell.exe":
            with ctx.host.lock:
                runnable = child.can_execute(program)
            if not runnable:
                output = Output(stderr=f"{program} is not a valid Windows NT application.\r\n", rc=1)
            else:
                output = run_powershell(child, parse_powershell_arguments(words, piped))
        elif is_modelled_program(program):
            with ctx.host.lock:
                output = run_program(child, program, " ".join(_quote(w) for w in words))
        else:
            raise Unmodelled(f"{name} {' '.join(words)}".strip())
        stderr.append(output.stderr)
        session.set_last_exit_code(output.rc)  # $LASTEXITCODE; $? is false when it is not 0
        return stdin_lines(output.stdout.encode("cp437", errors="replace"))

    return run


def _stdin_read(session) -> bool:
    """Whether the script has read its stdin ($input at the top level wraps it in an enumerator on first use)."""
    from winsim.powershell.automation.pipeline_input import InputEnumerator
    return bool(session.frames) and isinstance(session.frames[0].input, InputEnumerator)


def _quote(word: str) -> str:
    """How PowerShell 2.0 passes an argument to a native program: quoted when it holds a space."""
    return f'"{word}"' if (" " in word or not word) and not word.startswith('"') else word


def run_powershell_command_line(ctx: ProcessContext, arguments: str) -> Output:
    """`powershell.exe <arguments>` started as a program (by cmd.exe or CreateProcess)."""
    return run_powershell(ctx, parse_powershell_arguments(split_arguments(arguments), ctx.stdin))
