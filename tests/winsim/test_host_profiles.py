"""Profiles and overrides (Seam 2): what each host is provisioned with, and the errors bad overrides get."""

from __future__ import annotations

import pytest
from host_fixtures import new_host

from winsim.host import PROFILES, SpecError, build_spec, pe
from winsim.host.provisioning.iis4 import INETSTP_KEY
from winsim.host.services import SERVICES_KEY

CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"


def test_the_profiles_on_offer():
    assert PROFILES == ("no-iis", "iis4-default", "iis4-kb", "iis4-kb-alpha", "iis4-kb-smtp-only", "iis5", "iis6")


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
    ("iis7", {}, "unknown profile 'iis7'"),
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
    ("iis5", {"os_version": "5.2"}, "IIS 5.0 (profile 'iis5') runs on Windows 2000 only"),
    ("iis6", {"os_version": "4.0"}, "IIS 6.0 (profile 'iis6') runs on Windows Server 2003 only"),
    ("iis5", {"iis_path": "D:\\Inetsrv"}, "always lives in %SystemRoot%\\System32\\inetsrv"),
    ("iis6", {"arch": "alpha"}, "never released for arch 'alpha'"),
    ("iis4-kb-smtp-only", {"nntp_articles": 2}, "nntp_articles needs the 'nntp' component"),
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


# -- the detection profiles, as an administrator finds them after boot --------------------------------------------
SMTP_NNTP = ("SMTPSVC", "NNTPSVC")
Q197303_7023 = 'The "" service terminated with the following error: The system can not find the file specified.'


def _since_last_boot(host, event_id=None):
    """System events logged since the event log service last started (6005), as Event Viewer lists them."""
    records = host.eventlog.read("System")
    boot = max(r.record_number for r in records if r.source == "EventLog" and r.event_id == 6005)
    return [r for r in records if r.record_number > boot and (event_id is None or r.event_id == event_id)]


def _state(host, name):
    status = host.services.status(name)
    return status.state, status.win32_exit_code


@pytest.fixture(scope="module")
def kb_host(tmp_path_factory):
    return new_host(tmp_path_factory.mktemp("kb") / "host", "iis4-kb", "IIS4-KB-1")


def test_iis4_kb_is_iis_2_upgraded_to_4_in_c_inetsrv(kb_host):
    read = kb_host.registry.read
    assert (kb_host.os.version, kb_host.os.csd_version, kb_host.architecture.key) == ("4.0", "Service Pack 6", "x86")
    assert (read(INETSTP_KEY, "MajorVersion"), read(INETSTP_KEY, "InstallPath")) == (4, r"C:\Inetsrv")
    legacy = r"HKLM\SOFTWARE\Microsoft\Inetsrv\CurrentVersion"
    assert (read(legacy, "MajorVersion"), read(legacy, "InstallPath")) == (2, r"C:\Inetsrv")
    assert kb_host.fs.is_file(r"C:\Inetsrv\inetinfo.exe") and kb_host.fs.is_file(r"C:\Inetsrv\smtpsvc.dll")
    assert not kb_host.fs.exists(r"C:\WINNT\System32\inetsrv\smtpsvc.dll")


def test_iis4_kb_smtp_and_nntp_are_registered_where_their_files_are_not(kb_host):
    for service in SMTP_NNTP:
        key = rf"{SERVICES_KEY}\{service}"
        assert kb_host.registry.read(key, "ImagePath").lower() == r"c:\inetsrv\inetinfo.exe"
        assert kb_host.registry.read(key + r"\Parameters", "InstallPath").lower() == r"c:\winnt\system32\inetsrv"


def test_iis4_kb_boots_with_www_running_and_smtp_and_nntp_failing_with_7023(kb_host):
    assert {n: _state(kb_host, n)[0] for n in ("IISADMIN", "W3SVC", "MSFTPSVC")} == dict.fromkeys(
        ("IISADMIN", "W3SVC", "MSFTPSVC"), "running")
    assert [_state(kb_host, n) for n in SMTP_NNTP] == [("stopped", 2)] * 2
    failures = _since_last_boot(kb_host, 7023)
    assert [(e.source, e.event_type, e.message) for e in failures] == [
        ("Service Control Manager", "Error", Q197303_7023)] * 2
    assert not _since_last_boot(kb_host, 7000)


def test_iis4_kb_keeps_mail_and_news_to_lose(kb_host):
    assert len(kb_host.fs.list_dir(r"C:\Inetpub\Mailroot\Queue")) == 3
    assert len([i for i in kb_host.fs.walk() if i.path.lower().endswith(".nws")]) == 5


def test_iis4_kb_failure_comes_from_the_files_not_a_flag(tmp_path):
    host = new_host(tmp_path / "host", "iis4-kb", "IIS4-KB-2")
    with host.transaction():  # KB Q245208's workaround: put the DLL where the registration says
        host.fs.make_dir(r"C:\WINNT\System32\inetsrv")
        host.fs.copy_file(r"C:\Inetsrv\smtpsvc.dll", r"C:\WINNT\System32\inetsrv\smtpsvc.dll")
    host.reboot()
    assert _state(host, "SMTPSVC") == ("running", 0)
    assert _state(host, "NNTPSVC") == ("stopped", 2)
    assert len(_since_last_boot(host, 7023)) == 1


def test_iis4_kb_alpha_is_alpha_throughout(tmp_path):
    host = new_host(tmp_path / "host", "iis4-kb-alpha", "ALPHA-KB-1")
    assert host.architecture.processor_architecture == "ALPHA"
    images = [i.path for i in host.fs.walk() if i.path.lower().startswith("c:\\inetsrv\\")
              and i.path.lower().endswith((".dll", ".exe"))]
    assert images and {pe.read_pe(host.fs.read_file(p)).machine for p in images} == {pe.MACHINE_ALPHA}
    assert [_state(host, n) for n in SMTP_NNTP] == [("stopped", 2)] * 2
    assert len(_since_last_boot(host, 7023)) == 2


def test_iis4_kb_smtp_only_has_a_failing_smtp_and_no_nntp(tmp_path):
    host = new_host(tmp_path / "host", "iis4-kb-smtp-only", "SMTP-KB-1")
    assert _state(host, "SMTPSVC") == ("stopped", 2)
    assert not host.services.exists("NNTPSVC") and not host.fs.exists(r"C:\Inetpub\nntpfile")
    assert [e.message for e in _since_last_boot(host, 7023)] == [Q197303_7023]
    assert len(host.fs.list_dir(r"C:\Inetpub\Mailroot\Queue")) == 3


def test_iis5_is_windows_2000_with_iis_5_and_its_service_names(tmp_path):
    host = new_host(tmp_path / "host", "iis5", "IIS5-1")
    read = host.registry.read
    assert (host.os.version, host.os.build, host.os.csd_version, host.os.product_name) == (
        "5.0", 2195, "Service Pack 4", "Microsoft Windows 2000")
    assert (read(INETSTP_KEY, "MajorVersion"), read(INETSTP_KEY, "InstallPath")) == (5, r"C:\WINNT\System32\inetsrv")
    assert not host.registry.key_exists(r"HKLM\SOFTWARE\Microsoft\Inetsrv\CurrentVersion")
    names = {n: host.services.config(n).display_name for n in ("SMTPSVC", "NNTPSVC", "Spooler", "Schedule")}
    assert names == {"SMTPSVC": "Simple Mail Transport Protocol (SMTP)",
                     "NNTPSVC": "Network News Transport Protocol (NNTP)", "Spooler": "Print Spooler",
                     "Schedule": "Task Scheduler"}
    assert all(_state(host, n) == ("running", 0) for n in ("IISADMIN", "W3SVC", "MSFTPSVC", *SMTP_NNTP))
    assert host.services.status("SMTPSVC").pid == host.services.status("IISADMIN").pid
    assert not _since_last_boot(host, 7023) and not _since_last_boot(host, 7000)
    assert host.fs.is_file(r"C:\WINNT\System32\inetsrv\Metabase.bin")
    assert pe.read_pe(host.fs.read_file(r"C:\WINNT\System32\inetsrv\smtpsvc.dll")).file_version.startswith("5.0.")
    assert len(host.fs.list_dir(r"C:\Inetpub\Mailroot\Queue")) == 3


def test_iis6_is_windows_2003_with_iis_6_smtp_and_no_nntp(tmp_path):
    host = new_host(tmp_path / "host", "iis6", "IIS6-1")
    read, inetsrv = host.registry.read, r"C:\WINDOWS\System32\inetsrv"
    assert (host.os.version, host.os.build, host.os.csd_version) == ("5.2", 3790, "Service Pack 2")
    assert (read(INETSTP_KEY, "MajorVersion"), read(INETSTP_KEY, "InstallPath")) == (6, inetsrv)
    assert host.services.config("SMTPSVC").display_name == "Simple Mail Transfer Protocol (SMTP)"
    assert _state(host, "SMTPSVC") == ("running", 0) and not host.services.exists("NNTPSVC")
    w3svc = host.services.config("W3SVC")
    assert w3svc.image_path.endswith(r"svchost.exe -k iissvcs") and w3svc.service_dll.endswith("iisw3adm.dll")
    assert w3svc.dependencies == ["HTTP", "IISADMIN"] and _state(host, "W3SVC") == ("running", 0)
    assert host.services.status("W3SVC").pid != host.services.status("SMTPSVC").pid
    metabase = host.fs.read_file(inetsrv + r"\MetaBase.xml").decode("utf-8")
    assert r'QueueDirectory="C:\Inetpub\Mailroot\Queue"' in metabase and host.fs.is_file(inetsrv + r"\MBSchema.xml")
    assert not host.fs.exists(inetsrv + r"\Metabase.bin")
    assert not _since_last_boot(host, 7023) and not _since_last_boot(host, 7000)
    assert len(host.fs.list_dir(r"C:\Inetpub\Mailroot\Queue")) == 3


def test_iis6_can_have_nntp_and_run_on_amd64(tmp_path):
    host = new_host(tmp_path / "host", "iis6", "IIS6-2", components=["www", "smtp", "nntp"], arch="amd64",
                    nntp_articles=2)
    assert host.services.config("NNTPSVC").display_name == "Network News Transfer Protocol (NNTP)"
    assert _state(host, "NNTPSVC") == ("running", 0)
    assert pe.read_pe(host.fs.read_file(r"C:\WINDOWS\System32\inetsrv\nntpsvc.dll")).machine == pe.MACHINE_AMD64
    assert len([i for i in host.fs.walk() if i.path.lower().endswith(".nws")]) == 2


@pytest.mark.parametrize("profile", ["iis4-default", "iis4-kb", "iis5", "iis6"])
def test_every_iis_profile_has_mail_queued_by_default(profile):
    assert build_spec(profile, "HOST-1")["iis"]["smtp_queue_messages"] > 0


def test_a_reboot_fails_the_kb_services_again(tmp_path):
    host = new_host(tmp_path / "host", "iis4-kb-smtp-only", "SMTP-KB-2")
    host.reboot()
    host.reboot()
    assert len(_since_last_boot(host, 7023)) == 1
    assert len([e for e in host.eventlog.read("System") if e.event_id == 7023]) >= 3
