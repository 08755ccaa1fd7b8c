"""Profiles and overrides (Seam 2): what each host is provisioned with, and the errors bad overrides get."""

from __future__ import annotations

import pytest
from host_fixtures import new_host

from winsim.host import PROFILES, SpecError, build_spec, pe
from winsim.host.provisioning.iis4 import INETSTP_KEY
from winsim.host.services import SERVICES_KEY

CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"


def test_the_profiles_on_offer():
    assert PROFILES == ("no-iis", "iis4-default", "iis4-kb")


def test_no_iis_is_nt4_sp6a_on_x86_with_powershell_2_and_no_iis(tmp_path):
    host = new_host(tmp_path / "host", "no-iis", "plain-1")

    assert host.name == "PLAIN-1"
    assert (host.os.version, host.os.build, host.os.csd_version) == ("4.0", 1381, "Service Pack 6")
    assert host.registry.read(CURRENT_VERSION + r"\Hotfix\Q246009", "Installed") == 1  # what makes it SP6a
    assert host.architecture.processor_architecture == "x86"
    assert host.powershell_version == "2.0"
    assert not host.registry.key_exists(INETSTP_KEY)
    assert not host.services.exists("W3SVC") and not host.fs.exists(r"C:\Inetpub")
    image = pe.read_pe(host.fs.read_file(r"C:\WINNT\System32\cmd.exe"))
    assert image.machine_name == "i386" and not image.is_dll


def test_iis4_default_installs_iis_in_inetsrv_with_its_data(tmp_path):
    host = new_host(tmp_path / "host", "iis4-default", "IIS4-KB-1")
    inetsrv = r"C:\WINNT\System32\inetsrv"

    read = host.registry.read
    assert (read(INETSTP_KEY, "MajorVersion"), read(INETSTP_KEY, "MinorVersion")) == (4, 0)
    assert read(INETSTP_KEY, "InstallPath") == inetsrv
    assert read(INETSTP_KEY, "PathWWWRoot") == r"C:\Inetpub\wwwroot"
    assert read(SERVICES_KEY + r"\SMTPSVC", "DisplayName") == "Microsoft SMTP Service"
    assert read(SERVICES_KEY + r"\NNTPSVC", "ImagePath") == r"%SystemRoot%\System32\inetsrv\inetinfo.exe"
    smtpsvc = pe.read_pe(host.fs.read_file(inetsrv + r"\smtpsvc.dll"))
    assert smtpsvc.is_dll and smtpsvc.file_version == "4.2.622.1"
    assert host.fs.is_file(inetsrv + r"\Metabase.bin")
    assert {i.path.rsplit("\\", 1)[1] for i in host.fs.list_dir(r"C:\Inetpub\Mailroot")} >= {
        "BadMail", "Drop", "PickUp", "Queue", "SortTemp"}
    assert len(host.fs.list_dir(r"C:\Inetpub\Mailroot\Queue")) == 3
    assert host.fs.is_dir(r"C:\InetPub\nntpfile\root")
    assert {host.services.status(n).state for n in ("SMTPSVC", "NNTPSVC")} == {"running"}


def test_overrides_shape_what_is_installed(tmp_path):
    host = new_host(tmp_path / "host", "iis4-default", "ALPHA-1", arch="alpha", components=["smtp", "nntp"],
                    smtp_queue_messages=7, nntp_articles=2, powershell_version="5.1")

    assert host.architecture.processor_architecture == "ALPHA"
    assert pe.read_pe(host.fs.read_file(r"C:\WINNT\System32\inetsrv\inetinfo.exe")).machine == pe.MACHINE_ALPHA
    assert not host.services.exists("W3SVC") and not host.services.exists("MSFTPSVC")
    assert len(host.fs.list_dir(r"C:\Inetpub\Mailroot\Queue")) == 7
    articles = [i for i in host.fs.walk() if i.path.lower().endswith(".nws")]
    assert len(articles) == 2
    assert host.powershell_version == "5.1"
    assert host.services.status("SMTPSVC").state == "running"


def test_a_64_bit_host_shows_wow64_processes_the_native_architecture(tmp_path):
    host = new_host(tmp_path / "host", "no-iis", "X64-1", arch="amd64", os_version="5.2")

    native, wow64 = host.environment(), host.environment(wow64=True)

    assert native["PROCESSOR_ARCHITECTURE"] == "AMD64" and "PROCESSOR_ARCHITEW6432" not in native
    assert (wow64["PROCESSOR_ARCHITECTURE"], wow64["processor_architew6432"]) == ("x86", "AMD64")
    assert native["windir"] == r"C:\WINDOWS"
    assert host.architecture.can_run(pe.MACHINE_I386) and host.architecture.can_run(pe.MACHINE_AMD64)


def test_a_drive_named_by_iis_path_is_created(tmp_path):
    host = new_host(tmp_path / "host", "iis4-default", "D-1", iis_path=r"D:\Inetsrv")

    assert host.fs.is_file(r"D:\Inetsrv\inetinfo.exe")
    assert host.registry.read(INETSTP_KEY, "InstallPath") == r"D:\Inetsrv"


@pytest.mark.parametrize(("profile", "overrides", "message"), [
    ("iis5", {}, "unknown profile 'iis5'"),
    ("no-iis", {"iis_pth": "C:\\x"}, "unknown override keys: iis_pth"),
    ("no-iis", {"iis_path": "D:\\Inetsrv"}, "has no IIS, so iis_path cannot be set"),
    ("no-iis", {"arch": "mips"}, "arch 'mips' must be one of"),
    ("no-iis", {"arch": "amd64"}, "needs os_version 5.2 or later"),
    ("no-iis", {"arch": "alpha", "os_version": "5.2"}, "never released for arch 'alpha'"),
    ("no-iis", {"os_version": "3.51"}, "os_version '3.51' is not one the model knows"),
    ("no-iis", {"powershell_version": "7.4"}, "powershell_version '7.4' must be one of"),
    ("no-iis", {"ip_address": "300.1.1.1"}, "is not an IPv4 address"),
    ("no-iis", {"drives": {"C": {"size_mb": 10, "free_mb": 20}}}, "0 <= free_mb < size_mb"),
    ("iis4-default", {"os_version": "5.0"}, "runs on Windows NT 4.0 only"),
    ("iis4-default", {"components": ["smtp", "gopher"]}, "components must be distinct names"),
    ("iis4-default", {"smtp_queue_messages": -1}, "smtp_queue_messages must be a whole number"),
    ("iis4-default", {"components": ["www"], "nntp_articles": 3}, "nntp_articles needs the 'nntp' component"),
    ("iis4-default", {"iis_path": "Inetsrv"}, "iis_path 'Inetsrv' must be an absolute path"),
    ("iis4-default", {"iis_path": "%NOWHERE%\\x"}, "must be an absolute path"),
])
def test_bad_specs_are_refused_with_a_clear_message(profile, overrides, message):
    with pytest.raises(SpecError, match=None) as raised:
        build_spec(profile, "HOST-1", overrides)
    assert message in str(raised.value)


@pytest.mark.parametrize("name", ["", "has space", "a\\b", "x:y"])
def test_bad_computer_names_are_refused(name):
    with pytest.raises(SpecError, match="not a valid Windows computer name"):
        build_spec("no-iis", name)


def test_spec_values_from_yaml_numbers_are_accepted():
    spec = build_spec("iis4-default", "web-1", {"os_version": 4.0, "powershell_version": 2.0, "arch": "X86"})
    assert (spec["os_version"], spec["powershell_version"], spec["arch"]) == ("4.0", "2.0", "x86")


def test_pe_images_carry_their_machine_and_exact_size():
    for machine in (pe.MACHINE_I386, pe.MACHINE_ALPHA, pe.MACHINE_IA64, pe.MACHINE_AMD64):
        image = pe.build_pe(machine, 515_856, dll=True, tag=b"Imsinsc.dll")
        assert len(image) == 515_856
        info = pe.read_pe(image)
        assert (info.machine, info.is_dll) == (machine, True)
    assert pe.read_pe(pe.build_pe(pe.MACHINE_ALPHA, 615_696, file_version="5.5.1877.24")).file_version == \
        "5.5.1877.24"
    assert pe.read_pe(b"MZ" + b"\0" * 100) is None
    assert pe.read_pe(b"plain text file") is None
