"""Raw commands as Ansible's `raw` (through ansible-core's own winrm connection) and pywinrm's run_cmd /
run_ps deliver them, answered as Windows would answer."""

from __future__ import annotations

import threading

import pytest
from host_fixtures import AnsibleWinrm, encoded_powershell, new_host, pywinrm_run_ps

from winsim.host import register_handler
from winsim.host.runtime import CommandResult, unregister_handler
from winsim.powershell.automation import cmdlets


@pytest.fixture
def host(tmp_path):
    return new_host(tmp_path / "host", "iis4-default", "IIS4-KB-1")


@pytest.fixture
def ansible(host):
    return AnsibleWinrm(host)


@pytest.mark.parametrize(("script", "stdout"), [
    ("hostname", "IIS4-KB-1\r\n"),
    ("echo hello world", "hello\r\nworld\r\n"),
    ("Write-Output 'single quoted'", "single quoted\r\n"),
    ('Write-Host "on $env:COMPUTERNAME"', "on IIS4-KB-1\r\n"),
    ("$env:COMPUTERNAME", "IIS4-KB-1\r\n"),
    ("$env:PROCESSOR_ARCHITECTURE; $env:windir", "x86\r\nC:\\WINNT\r\n"),
    ("whoami", "iis4-kb-1\\administrator\r\n"),
    ("[Environment]::OSVersion.VersionString", "Microsoft Windows NT 4.0.1381 Service Pack 6\r\n"),
    ("$PSVersionTable.PSVersion.Major", "2\r\n"),
    ("# a comment\nhostname.exe  # and another", "IIS4-KB-1\r\n"),
    ("cmd /c ver", "\r\nWindows NT Version 4.0  \r\n"),
])
def test_raw_commands_an_administrator_sends(ansible, script, stdout):
    assert ansible.raw(script) == (0, stdout, "")


def test_the_command_line_is_powershell_encoded_as_ansible_sends_it(ansible):
    ansible.raw("hostname")

    command, arguments, stdin = ansible.wire.sent[-1]
    assert command == "PowerShell"
    assert arguments.startswith("-NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ")
    assert stdin == b""


def test_exit_codes_come_back(ansible):
    assert ansible.raw("echo before; exit 7; echo after") == (7, "before\r\n", "")
    assert ansible.raw("cmd /c exit 3")[0] == 1  # a failed native command fails powershell.exe's last statement


def test_os_version_objects_are_formatted_as_tables(ansible):
    rc, stdout, _ = ansible.raw("[Environment]::OSVersion")
    assert rc == 0
    header, dashes, values = [line for line in stdout.split("\r\n") if line]
    assert header.split() == ["Platform", "ServicePack", "Version", "VersionString"]
    assert set(dashes) == {"-", " "}
    assert values.split()[:2] == ["Win32NT", "Service"]
    assert "4.0.1381.393216" in values  # .NET puts the service pack in the revision's high word


def test_ver_is_a_cmd_builtin_that_powershell_does_not_know(ansible):
    rc, stdout, stderr = ansible.raw("ver")

    assert (rc, stdout) == (1, "")
    assert stderr.startswith("The term 'ver' is not recognized as the name of a cmdlet")
    assert "CommandNotFoundException" in stderr


@pytest.mark.parametrize(("script", "stdout"), [
    ("$x = 1", ""),
    ("$x = 6; $x * 7", "42\r\n"),
    ("& { hostname }", "IIS4-KB-1\r\n"),
    ("if ($env:windir -like '*WINNT') { 'nt' } else { 'other' }", "nt\r\n"),
    ("@(1, 2, 3) | ForEach-Object { $_ * 2 }", "2\r\n4\r\n6\r\n"),
])
def test_the_powershell_language_runs(ansible, script, stdout):
    assert ansible.raw(script) == (0, stdout, "")


@pytest.mark.parametrize("script", ["Get-Hotfix -Id KB123456", "Get-Service | Select-Object -First 1",
                                    "hostname; Restart-Computer", "net stop w3svc", "hostname /s"])
def test_anything_unmodelled_fails_clearly_and_runs_nothing(ansible, host, script):
    rc, stdout, stderr = ansible.raw(script)

    assert rc == 1
    assert stdout == ""
    assert "is not modelled on this simulated host" in stderr
    assert host.counters["commands_by_kind"]["unmodelled"] == 1


def test_start_sleep_really_sleeps_without_holding_the_host(ansible, host, monkeypatch):
    asleep, wake = threading.Event(), threading.Event()
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        asleep.set()
        assert wake.wait(30)

    monkeypatch.setattr(cmdlets.time, "sleep", sleep)
    sleeper = threading.Thread(target=lambda: ansible.raw("Start-Sleep -Seconds 5; echo awake"))
    sleeper.start()
    assert asleep.wait(30)

    assert host.run_command("hostname", "", b"").stdout == b"IIS4-KB-1\r\n"  # the host answers meanwhile

    wake.set()
    sleeper.join(30)
    assert slept == [5.0]
    assert ansible.wire.sent[-1][0] == "PowerShell"


@pytest.mark.parametrize(("command", "arguments", "rc", "stdout"), [
    ("hostname", "", 0, "IIS4-KB-1\r\n"),
    ("echo %COMPUTERNAME% on %PROCESSOR_ARCHITECTURE%", "", 0, "IIS4-KB-1 on x86\r\n"),
    ("cmd", "/c echo one && echo two", 0, "one\r\ntwo\r\n"),
    ("cmd", '/c "exit 4"', 4, ""),
    ("ver", "", 0, "\r\nWindows NT Version 4.0  \r\n"),
    ("type", r"C:\Inetpub\wwwroot\Default.htm", 0, "<html><body>Default Web Site (winsim)</body></html>\r\n"),
    (pywinrm_run_ps("$env:COMPUTERNAME"), "", 0, "IIS4-KB-1\r\n"),
])
def test_pywinrm_run_cmd_and_run_ps_lines(host, command, arguments, rc, stdout):
    result = host.run_command(command, arguments, b"")
    assert (result.rc, result.stdout.decode(), result.stderr) == (rc, stdout, b"")
    assert result.kind == "raw"


def test_ipconfig_reports_the_address_in_the_registry(host):
    stdout = host.run_command("ipconfig", "", b"").stdout.decode()
    assert "Windows NT IP Configuration" in stdout
    assert "IP Address. . . . . . . . . : 192.168.0.10" in stdout


def test_a_program_that_is_not_there_gets_cmds_answer(host):
    result = host.run_command("frobnicate", "--now", b"")
    assert result.rc == 1
    assert result.stderr == (b"'frobnicate' is not recognized as an internal or external command,\r\n"
                             b"operable program or batch file.\r\n")


def test_a_host_without_powershell_cannot_run_ansibles_commands(tmp_path):
    host = new_host(tmp_path / "host", "no-iis", "NOPS-1", powershell_version=None)

    rc, stdout, stderr = AnsibleWinrm(host).raw("hostname")

    assert (rc, stdout) == (1, "")
    assert stderr.startswith("'PowerShell' is not recognized as an internal or external command")


def test_whoami_names_the_account_the_endpoint_says(host):
    command, arguments = encoded_powershell("whoami")
    assert host.run_command(command, arguments, b"", user="Operator").stdout == b"iis4-kb-1\\operator\r\n"


class _MarkerHandler:
    """A stand-in for a later protocol recognised from its stdin."""
    kind = "marker"

    def accepts(self, invocation) -> bool:
        return invocation.powershell is not None and invocation.stdin.startswith(b"MARKER")

    def run(self, host, invocation) -> CommandResult:
        return CommandResult(b"handled " + invocation.stdin[6:], b"", 0, self.kind)


def test_handlers_registered_later_are_asked_first(host):
    handler = _MarkerHandler()
    register_handler(handler)
    try:
        command, arguments = encoded_powershell("$input | Out-Null")
        result = host.run_command(command, arguments, b"MARKER:42")
        plain = host.run_command(command, arguments, b"other")
    finally:
        unregister_handler(handler)

    assert (result.stdout, result.kind) == (b"handled :42", "marker")
    assert (plain.stdout, plain.rc, plain.kind) == (b"", 0, "powershell")  # powershell.exe ran the script
    assert host.counters["commands_by_kind"] == {"marker": 1, "powershell": 1}


def test_files_a_script_left_open_close_when_powershell_exits(ansible, host):
    script = "$s = [System.IO.File]::Open('C:\\held.txt', 'Create', 'Write', 'None'); $s.WriteByte(65)"
    assert ansible.raw(script)[0] == 0

    rc, stdout, stderr = ansible.raw("[System.IO.File]::ReadAllText('C:\\held.txt')")

    assert (rc, stdout, stderr) == (0, "A\r\n", "")  # written when the handle closed, and no longer locked


def test_a_nested_powershell_inherits_the_stdin_its_parent_did_not_read(host):
    # ansible-core before 2.19 wraps every command in `PowerShell -EncodedCommand`: the command it wraps (here a
    # second powershell.exe) is a native program with no pipeline input, so it reads the process's stdin itself.
    inner_command, inner_arguments = encoded_powershell("foreach ($line in $input) { 'got ' + $line }")
    command, arguments = encoded_powershell(f"{inner_command} {inner_arguments}")

    result = host.run_command(command, arguments, b"one\r\ntwo\r\n")

    assert (result.rc, result.stdout, result.stderr) == (0, b"got one\r\ngot two\r\n", b"")
