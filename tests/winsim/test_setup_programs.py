"""Setup programs as processes of a host: started detached and polled, and Windows 2000's sysocmgr."""

from __future__ import annotations

import pytest
from host_fixtures import new_host, system_events

from winsim.host.errors import Win32Error
from winsim.host.provisioning import CreateService, SetValue, WriteBinary, apply
from winsim.host.registry import RegType
from winsim.host.runtime.detached import process_status, start_detached, wait_process
from winsim.host.services import SERVICE_WIN32_SHARE_PROCESS, START_AUTO
from winsim.setup.media import master_inf_file, option_pack_files, place_files
from winsim.setup.records import SUBCOMPONENTS_KEY
from winsim.setup.timing import SCALE_VARIABLE

MEDIA = r"C:\OptPack\x86"
INSTALL = b"[Global]\r\nMaintanenceMode = AddRemove\r\n[Components]\r\niis_smtp = ON\r\niis_nntp = ON\r\n"
SETUP_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Setup"
INETSTP_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\InetStp"
WAIT_SECONDS = 120  # an upper bound for a stuck run, never a measure of speed


@pytest.fixture(autouse=True)
def fast_setup(monkeypatch):
    monkeypatch.setenv(SCALE_VARIABLE, "0.01")


@pytest.fixture
def host(tmp_path):
    host = new_host(tmp_path / "host", "iis4-default", "IIS4-KB-1", components=["www", "ftp"],
                    iis_path=r"C:\Inetsrv")
    place_files(host, MEDIA, option_pack_files("x86"))
    host.fs.write_file(r"C:\unattend.txt", INSTALL)
    return host


def test_a_detached_setup_returns_its_pid_at_once_and_its_exit_code_can_be_polled(host):
    with host.lock:  # while the host is held, setup cannot get past its first step
        process = start_detached(host, rf"{MEDIA}\setup.exe /u:C:\unattend.txt")
        assert process.running and process.exit_code is None
        assert process_status(host, process.pid).running
        assert not host.services.exists("SMTPSVC")

    done = wait_process(host, process.pid, timeout=WAIT_SECONDS)

    assert (done.running, done.exit_code) == (False, 0)
    assert done.image == rf"{MEDIA}\setup.exe" and done.ended >= done.started
    assert process_status(host, process.pid) == done
    assert host.services.status("SMTPSVC").win32_exit_code == 2
    assert len(system_events(host, 7023)) == 2


def test_a_failing_detached_setup_leaves_its_error_code(host):
    host.fs.delete_file(rf"{MEDIA}\nntpsvc.dll")

    process = start_detached(host, rf"{MEDIA}\setup.exe /u:C:\unattend.txt")

    assert wait_process(host, process.pid, timeout=WAIT_SECONDS).exit_code == 2


def test_starting_what_cannot_run_fails_at_once_and_unknown_pids_are_refused(host):
    place_files(host, r"C:\AlphaMedia", option_pack_files("alpha"))

    with pytest.raises(Win32Error) as wrong_platform:
        start_detached(host, r"C:\AlphaMedia\setup.exe /u:C:\unattend.txt")
    with pytest.raises(Win32Error) as missing:
        start_detached(host, r"C:\NoMedia\setup.exe /u:C:\unattend.txt")
    with pytest.raises(Win32Error) as unknown:
        process_status(host, 4)

    assert (wrong_platform.value.code, missing.value.code, unknown.value.code) == (193, 2, 87)
    assert not host.services.exists("SMTPSVC")


def windows_2000_with_iis5(tmp_path):
    """Windows 2000 as it ships: sysocmgr.exe, the OC Manager INFs in %windir%\\inf, IIS 5.0 in inetsrv."""
    host = new_host(tmp_path / "w2k", "no-iis", "W2K-1", os_version="5.0",
                    drives={"D": {"size_mb": 2048, "free_mb": 2000}})
    inetsrv = r"%SystemRoot%\system32\inetsrv"
    apply(host, [
        WriteBinary(r"%SystemRoot%\system32\sysocmgr.exe", 55_056, 0.0, dll=False),
        WriteBinary(rf"{inetsrv}\inetinfo.exe", 15_120, 0.0, dll=False),
        WriteBinary(rf"{inetsrv}\iisadmin.dll", 12_560, 0.0),
        CreateService("IISADMIN", "IIS Admin Service", rf"{inetsrv}\inetinfo.exe", SERVICE_WIN32_SHARE_PROCESS,
                      START_AUTO, (), {"InstallPath": (RegType.REG_EXPAND_SZ, inetsrv)}),
        SetValue(INETSTP_KEY, "MajorVersion", RegType.REG_DWORD, 5),
        SetValue(INETSTP_KEY, "InstallPath", RegType.REG_SZ, r"C:\WINNT\system32\inetsrv"),
    ])
    host.services.start("IISADMIN")
    infs = [f for f in option_pack_files("x86") if f.name in ("Ims.inf", "Ins.inf")]
    place_files(host, r"C:\WINNT\inf", [master_inf_file("sysoc.inf"), *infs])
    return host


def test_sysocmgr_reads_infs_from_windir_inf_and_files_from_the_source_path(tmp_path):
    host = windows_2000_with_iis5(tmp_path)
    place_files(host, r"C:\W2KSRC\i386", [f for f in option_pack_files("x86") if not f.name.endswith(".inf")])
    host.registry.set_value(SETUP_KEY, "SourcePath", RegType.REG_SZ, "C:\\W2KSRC\\")
    host.fs.write_file(r"C:\iis.txt", b"[Components]\r\niis_smtp = on\r\niis_nntp = off\r\n\r\n"
                                      b"[InternetServer]\r\nPathWWWRoot=D:\\Inetpub\\Wwwroot\r\n")

    result = host.run_command(r"sysocmgr /i:%windir%\inf\sysoc.inf /u:c:\iis.txt /q", "", b"")

    assert result.rc == 0, host.fs.read_file(r"C:\WINNT\ocmgr.log").decode("cp1252")
    assert host.services.status("SMTPSVC").state == "running"
    assert not host.services.exists("NNTPSVC")
    assert host.fs.is_file(r"C:\WINNT\system32\inetsrv\smtpsvc.dll")
    assert host.fs.is_dir(r"D:\Inetpub\Mailroot\Queue")
    assert host.registry.read(SUBCOMPONENTS_KEY, "iis_smtp") == 1
    log = host.fs.read_file(r"C:\WINNT\ocmgr.log").decode("cp1252")
    assert r"installation source: C:\W2KSRC\i386" in log and "Setup mode: components" in log


def test_sysocmgr_with_the_files_missing_from_the_source_path_names_what_it_lacks(tmp_path):
    host = windows_2000_with_iis5(tmp_path)
    host.registry.set_value(SETUP_KEY, "SourcePath", RegType.REG_SZ, "C:\\W2KSRC")
    host.fs.write_file(r"C:\iis.txt", b"[Components]\r\niis_smtp = on\r\n")

    result = host.run_command(r"sysocmgr /i:%windir%\inf\sysoc.inf /u:c:\iis.txt", "", b"")

    assert result.rc == 2
    log = host.fs.read_file(r"C:\WINNT\ocmgr.log").decode("cp1252")
    assert r"Setup cannot load the setup helper C:\W2KSRC\i386\Imsinsc.dll" in log
    assert not host.services.exists("SMTPSVC")


def test_sysocmgr_without_an_answer_file_is_outside_the_model(tmp_path):
    host = windows_2000_with_iis5(tmp_path)

    result = host.run_command(r"sysocmgr /i:%windir%\inf\sysoc.inf", "", b"")

    assert result.rc == 1 and result.kind == "unmodelled"
    assert b"only unattended setup is" in result.stderr
