"""The host-backed types as PowerShell scripts use them: snippets in the agent's own idioms run by winsim's
interpreter on a booted host (binding of enums, [long] offsets, byte arrays, indexers, WMI and event log
collections), with the host state checked afterwards."""

from __future__ import annotations

import pytest

from tests.winsim.host_fixtures import new_host
from winsim.powershell.engine import Engine, format_output, make_runtime


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    machine = new_host(tmp_path_factory.mktemp("scripts"), "iis4-kb")
    machine.boot()
    return machine


def run(host, script: str) -> list[str]:
    result = Engine(make_runtime(host)).run(script)
    assert result.terminating is None, result.terminating
    assert not result.errors, result.errors
    return format_output(result.output).splitlines()


def test_chunked_write_with_share_modes_and_seek(host):
    lines = run(host, r"""
        [void][System.IO.Directory]::CreateDirectory('C:\scripts')
        $stream = [System.IO.File]::Open('C:\scripts\f.bin', [System.IO.FileMode]::OpenOrCreate,
            [System.IO.FileAccess]::Write, [System.IO.FileShare]::Read)
        try {
            [void]$stream.Seek([long]2, [System.IO.SeekOrigin]::Begin)
            $bytes = [System.Text.Encoding]::ASCII.GetBytes('abc')
            $stream.Write($bytes, 0, $bytes.Length)
            $stream.SetLength([long]5)
        }
        finally {
            $stream.Close()
        }
        (New-Object -TypeName System.IO.FileInfo -ArgumentList 'C:\scripts\f.bin').Length
        $share = [System.IO.FileShare]'ReadWrite, Delete'
        $open = [System.IO.FileMode]::Open
        $lock = [System.IO.File]::Open('C:\scripts\f.bin', $open, [System.IO.FileAccess]::ReadWrite,
            [System.IO.FileShare]::None)
        try { [System.IO.File]::Open('C:\scripts\f.bin', $open, [System.IO.FileAccess]::Read, $share) }
        catch {
            $inner = $_.Exception.InnerException
            $inner.GetType().FullName
            [System.Runtime.InteropServices.Marshal]::GetHRForException($inner)
        }
        $lock.Close()
    """)
    assert lines == ["5", "System.IO.IOException", str(-2147024864)]
    assert host.fs.read_file("C:\\scripts\\f.bin") == b"\0\0abc"


def test_attributes_and_errors_as_the_agent_reads_them(host):
    lines = run(host, r"""
        [System.IO.File]::WriteAllText('C:\scripts\ro.txt', 'x', [System.Text.Encoding]::ASCII)
        [System.IO.File]::SetAttributes('C:\scripts\ro.txt', [System.IO.FileAttributes]'ReadOnly, Hidden')
        $attributes = [System.IO.File]::GetAttributes('C:\scripts\ro.txt')
        $attributes.ToString()
        [int]$attributes -band [int][System.IO.FileAttributes]::ReadOnly
        try { [System.IO.File]::Delete('C:\scripts\ro.txt') }
        catch { $_.Exception.Message }
        try { [void][System.IO.Directory]::GetFiles('C:\nowhere') }
        catch { $_.Exception.InnerException.GetType().Name }
    """)
    assert lines == [
        "ReadOnly, Hidden", "1",
        "Exception calling \"Delete\" with \"1\" argument(s): \"Access to the path 'C:\\scripts\\ro.txt' is denied.\"",
        "DirectoryNotFoundException"]


def test_registry_services_wmi_and_event_log(host):
    lines = run(host, r"""
        $key = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey('SOFTWARE\Microsoft\InetStp', $false)
        $key.GetValue('InstallPath')
        $key.GetValueKind('MajorVersion').ToString()
        $key.Close()
        $write = [Microsoft.Win32.Registry]::LocalMachine.CreateSubKey('SOFTWARE\Scripts')
        $dword = [System.BitConverter]::ToInt32([System.BitConverter]::GetBytes([uint32]4294967295), 0)
        $write.SetValue('d', $dword, [Microsoft.Win32.RegistryValueKind]::DWord)
        $write.SetValue('m', [string[]]@('a', 'b'), [Microsoft.Win32.RegistryValueKind]::MultiString)
        $write.Close()
        foreach ($controller in [System.ServiceProcess.ServiceController]::GetServices()) {
            if ($controller.ServiceName -eq 'SMTPSVC') { $controller.Status.ToString() }
        }
        $query = 'SELECT Name, ExitCode FROM Win32_Service WHERE Name = "SMTPSVC"'
        $searcher = New-Object -TypeName System.Management.ManagementObjectSearcher -ArgumentList $query
        foreach ($item in $searcher.Get()) { [long]$item.GetPropertyValue('ExitCode'); $item['Name'] }
        $entries = (New-Object -TypeName System.Diagnostics.EventLog -ArgumentList 'System').Entries
        $newest = $entries[$entries.Count - 1]
        [long]($newest.InstanceId -band 0xFFFF)
        $newest.EntryType.ToString()
    """)
    assert lines == ["C:\\Inetsrv", "DWord", "Stopped", "2", "SMTPSVC", "7023", "Error"]
    assert host.registry.read("HKLM\\SOFTWARE\\Scripts", "d") == 0xFFFFFFFF
    assert host.registry.read("HKLM\\SOFTWARE\\Scripts", "m") == ["a", "b"]


def test_system_facts(host):
    lines = run(host, r"""
        $os = [System.Environment]::OSVersion
        $os.Platform.ToString(); $os.Version.ToString(); $os.ServicePack
        [System.IntPtr]::Size * 8
        [System.Environment]::UserDomainName + '\' + [System.Environment]::UserName
        $identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
        $principal = New-Object -TypeName System.Security.Principal.WindowsPrincipal -ArgumentList $identity
        $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
        [System.Environment]::ExpandEnvironmentVariables('%SystemRoot%\system32')
    """)
    assert lines == ["Win32NT", "4.0.1381.393216", "Service Pack 6", "32", "TESTHOST\\Administrator", "True",
                     "C:\\WINNT\\system32"]


def test_dotnet_4_members_exist_for_powershell_5_only(host):
    script = r"""
        @([System.IO.Directory]::EnumerateFiles('C:\WINNT', '*.exe')).Count
        [System.IO.Path]::Combine('a', 'b', 'c')
    """
    old = Engine(make_runtime(host, version=(2, 0))).run(script)
    assert [str(e.exception.message) for e in old.errors] == [
        "Method invocation failed because [System.IO.Directory] doesn't contain a method named 'EnumerateFiles'.",
        'Cannot find an overload for "Combine" and the argument count: "3".']
    new = Engine(make_runtime(host, version=(5, 1))).run(script)
    assert not new.errors and format_output(new.output).splitlines()[1] == "a\\b\\c"
