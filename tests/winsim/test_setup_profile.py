"""Profile iis4-kb: SMTP and NNTP installed by Option Pack setup from its original INFs on IIS in C:\\Inetsrv."""

from __future__ import annotations

from host_fixtures import new_host, system_events

from winsim.host import build_spec
from winsim.setup import SetupTiming, run_setup
from winsim.setup.media import fix_files, option_pack_files, place_files

Q197303_7023 = 'The "" service terminated with the following error: The system can not find the file specified.'
SERVICES_KEY = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services"


def test_iis4_kb_boots_with_smtp_and_nntp_failing_as_q197303_describes(tmp_path):
    host = new_host(tmp_path / "kb", "iis4-kb", "IIS4-KB-1")

    assert build_spec("iis4-kb", "x")["iis"]["path"] == r"C:\Inetsrv"
    assert host.registry.read(r"HKLM\SOFTWARE\Microsoft\InetStp", "InstallPath") == r"C:\Inetsrv"
    assert host.services.status("W3SVC").state == "running"
    for service in ("SMTPSVC", "NNTPSVC"):
        assert (host.services.status(service).state, host.services.status(service).win32_exit_code) == ("stopped", 2)
        assert host.registry.read(rf"{SERVICES_KEY}\{service}\Parameters", "InstallPath") == (
            r"C:\WINNT\system32\inetsrv")
    assert {e.message for e in system_events(host, 7023)} == {Q197303_7023}
    assert host.fs.list_dir(r"C:\Inetpub\Mailroot\Queue") and host.fs.is_file(r"C:\NTOPTPAK\x86\setup.exe")


def test_iis4_kb_is_fixed_by_the_kb_procedure_from_the_media_left_on_it(tmp_path):
    host = new_host(tmp_path / "kb", "iis4-kb", "IIS4-KB-2", arch="alpha")
    host.fs.write_file(r"C:\remove.txt", b"[Global]\r\nMaintanenceMode=AddRemove\r\n[Components]\r\n"
                                         b"iis_smtp=OFF\r\niis_nntp=OFF\r\n")
    host.fs.write_file(r"C:\install.txt", b"[Global]\r\nMaintanenceMode=AddRemove\r\n[Components]\r\n"
                                          b"iis_smtp=ON\r\niis_nntp=ON\r\n")

    removed = run_setup(host, r"C:\NTOPTPAK\alpha\setup.exe", r"/u:C:\remove.txt", timing=SetupTiming.instant())
    place_files(host, r"C:\InstPoint", option_pack_files("alpha"))
    place_files(host, r"C:\InstPoint", fix_files("alpha"))
    installed = run_setup(host, r"C:\InstPoint\setup.exe", r"/u:C:\install.txt", timing=SetupTiming.instant())

    assert (removed.exit_code, installed.exit_code) == (0, 0)
    host.reboot()
    assert host.services.status("SMTPSVC").state == host.services.status("NNTPSVC").state == "running"
