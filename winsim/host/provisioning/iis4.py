"""IIS 4.0 from the Windows NT 4.0 Option Pack, installed as its original setup installs it.

Every component's files go to the IIS directory (`iis.path`, %windir%\\System32\\inetsrv by default) and all
services are hosted by inetinfo.exe there. Setup registers where each service's DLL is in its
`Parameters\\InstallPath`: the IIS directory for IIS Admin, WWW and FTP, but the hard-coded default path for
SMTP and NNTP (the setup bug of KB Q197303). So with IIS anywhere else, SMTP and NNTP fail to start (7023).
Data: Inetpub\\wwwroot, ftproot, Mailroot (queued mail as .EML files in Queue) and nntpfile (articles as
.nws files under root), and the metabase (Metabase.bin) in the IIS directory. Names, sizes and contents of
the files are synthetic.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from winsim.host import clock
from winsim.host.environment import expand
from winsim.host.provisioning.actions import Action, CreateService, MakeDirectory, SetValue, WriteBinary, WriteData
from winsim.host.provisioning.windows import RELEASES
from winsim.host.registry import RegType
from winsim.host.services import SERVICE_WIN32_SHARE_PROCESS, START_AUTO

DEFAULT_IIS_PATH = "%SystemRoot%\\System32\\inetsrv"
HARD_CODED_PATH = DEFAULT_IIS_PATH  # where the original setup registers SMTP and NNTP, whatever the IIS path
INETSTP_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\InetStp"
CLSID_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Classes\CLSID"
INETPUB = "%SystemDrive%\\Inetpub"
MAILROOT = INETPUB + "\\Mailroot"
NNTPFILE = INETPUB + "\\nntpfile"
COMPONENTS = ("www", "ftp", "smtp", "nntp")
FILE_VERSION = "4.2.622.1"
_FILES_TIME = clock.from_iso("1997-11-20T12:00:00Z")
_DATA_TIME = clock.from_iso("2000-01-03T09:00:00Z")


@dataclass(frozen=True)
class Component:
    service: str
    display_name: str
    binaries: tuple[tuple[str, int], ...]   # (file, size) in the IIS directory
    texts: tuple[str, ...] = ()             # readme files in the IIS directory
    com_servers: tuple[str, ...] = ()       # DLLs setup registers as COM in-process servers
    directories: tuple[str, ...] = ()
    honours_iis_path: bool = True


_ADMIN = Component(
    "IISADMIN", "IIS Admin Service",
    (("inetinfo.exe", 15_120), ("iisadmin.dll", 12_560), ("infocomm.dll", 189_712), ("isatq.dll", 45_328),
     ("iisrtl.dll", 57_616), ("metadata.dll", 95_504), ("admwprox.dll", 36_624), ("coadmin.dll", 43_792),
     ("wam.dll", 73_488), ("iis.dll", 240_912), ("inetmgr.exe", 9_488)),
    com_servers=("admwprox.dll", "coadmin.dll"))
_BY_NAME = {
    "www": Component("W3SVC", "World Wide Web Publishing Service",
                     (("w3svc.dll", 232_208), ("asp.dll", 328_976), ("httpodbc.dll", 61_200),
                      ("sspifilt.dll", 18_192)),
                     directories=(INETPUB + "\\wwwroot", INETPUB + "\\scripts")),
    "ftp": Component("MSFTPSVC", "FTP Publishing Service", (("msftpsvc.dll", 86_800), ("ftpctrs2.dll", 9_488)),
                     directories=(INETPUB + "\\ftproot",)),
    "smtp": Component("SMTPSVC", "Microsoft SMTP Service",
                      (("smtpsvc.dll", 428_816), ("jpudll.dll", 22_288), ("mboxapi.dll", 17_168),
                       ("seo.dll", 198_416), ("seos.dll", 67_344), ("smtpadm.dll", 141_584),
                       ("smtpkey.dll", 31_504), ("smtpsnap.dll", 162_064)),
                      texts=("smtpread.txt",), com_servers=("seo.dll", "seos.dll", "smtpadm.dll", "smtpsnap.dll"),
                      directories=tuple(f"{MAILROOT}\\{d}" for d in (
                          "BadMail", "Drop", "MailBox", "PickUp", "Queue", "Route", "SortTemp")),
                      honours_iis_path=False),
    "nntp": Component("NNTPSVC", "Microsoft NNTP Service",
                      (("nntpsvc.dll", 392_464), ("nntpadm.dll", 118_032), ("nntpsnap.dll", 149_776)),
                      texts=("nntpread.txt",), com_servers=("nntpadm.dll", "nntpsnap.dll"),
                      directories=(*(f"{NNTPFILE}\\{d}" for d in ("Drop", "Failedpickup", "Pickup")),
                                   *(f"{NNTPFILE}\\root\\control\\{g}" for g in ("cancel", "newgroup", "rmgroup"))),
                      honours_iis_path=False),
}


def iis4_actions(spec: dict) -> list[Action]:
    iis = spec["iis"]
    release = RELEASES[spec["os_version"]]
    variables = {"SystemRoot": release.system_root, "windir": release.system_root,
                 "SystemDrive": release.system_root[:2]}
    iis_dir = iis["path"].rstrip("\\")
    expanded_dir = expand(iis_dir, variables)
    hard_coded = expand(HARD_CODED_PATH, variables)
    components = [_ADMIN, *(_BY_NAME[name] for name in iis["components"])]
    actions: list[Action] = [MakeDirectory(iis_dir)]
    for component in components:
        actions += [WriteBinary(f"{iis_dir}\\{name}", size, _FILES_TIME, dll=not name.endswith(".exe"),
                                version=FILE_VERSION) for name, size in component.binaries]
        actions += [WriteData(f"{iis_dir}\\{name}", _readme(component), _FILES_TIME) for name in component.texts]
        actions += [MakeDirectory(d) for d in component.directories]
        registered = expanded_dir if component.honours_iis_path else hard_coded
        actions += _registration(component, iis_dir, registered)
    actions += _inetstp_values(iis["components"], expanded_dir, expand(INETPUB, variables))
    actions.append(WriteData(f"{iis_dir}\\Metabase.bin", _metabase(iis["components"], expand(INETPUB, variables)),
                             None))
    if "www" in iis["components"]:
        actions.append(WriteData(INETPUB + "\\wwwroot\\Default.htm",
                                 b"<html><body>Default Web Site (winsim)</body></html>\r\n", _FILES_TIME))
    if "smtp" in iis["components"]:
        actions += _queued_mail(spec["computer_name"], iis["smtp_queue_messages"])
    if "nntp" in iis["components"]:
        actions += _news_articles(spec["computer_name"], iis["nntp_articles"])
    return actions


def _registration(component: Component, iis_dir: str, registered_dir: str) -> list[Action]:
    dependencies = ("RpcSs", "ProtectedStorage") if component is _ADMIN else ("IISADMIN",)
    actions: list[Action] = [CreateService(
        component.service, component.display_name, f"{iis_dir}\\inetinfo.exe", SERVICE_WIN32_SHARE_PROCESS,
        START_AUTO, dependencies, {"InstallPath": (RegType.REG_SZ, registered_dir)})]
    for dll in component.com_servers:
        clsid = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"winsim:iis4:{dll}")).upper() + "}"
        server = f"{CLSID_KEY}\\{clsid}\\InprocServer32"
        actions += [SetValue(server, "", RegType.REG_SZ, f"{registered_dir}\\{dll}"),
                    SetValue(server, "ThreadingModel", RegType.REG_SZ, "Both")]
    return actions


def _inetstp_values(components: list[str], iis_dir: str, inetpub: str) -> list[Action]:
    values = [
        SetValue(INETSTP_KEY, "MajorVersion", RegType.REG_DWORD, 4),
        SetValue(INETSTP_KEY, "MinorVersion", RegType.REG_DWORD, 0),
        SetValue(INETSTP_KEY, "VersionString", RegType.REG_SZ, "Version 4.0"),
        SetValue(INETSTP_KEY, "InstallPath", RegType.REG_SZ, iis_dir),
    ]
    if "www" in components:
        values.append(SetValue(INETSTP_KEY, "PathWWWRoot", RegType.REG_SZ, f"{inetpub}\\wwwroot"))
    if "ftp" in components:
        values.append(SetValue(INETSTP_KEY, "PathFTPRoot", RegType.REG_SZ, f"{inetpub}\\ftproot"))
    return values


def _readme(component: Component) -> bytes:
    return (f"{component.display_name} for Internet Information Server 4.0\r\n"
            "Synthetic readme written by winsim.\r\n").encode("ascii")


def _metabase(components: list[str], inetpub: str) -> bytes:
    """A stand-in for the binary metabase: a header, then the paths IIS keeps there (KB Q247958)."""
    entries = []
    if "www" in components:
        entries.append(f"LM/W3SVC/1/ROOT/Path={inetpub}\\wwwroot")
    if "ftp" in components:
        entries.append(f"LM/MSFTPSVC/1/ROOT/Path={inetpub}\\ftproot")
    if "smtp" in components:
        entries += [f"LM/SMTPSVC/1/{k}Directory={inetpub}\\Mailroot\\{d}"
                    for k, d in (("Queue", "Queue"), ("Pickup", "PickUp"), ("Drop", "Drop"), ("BadMail", "BadMail"))]
    if "nntp" in components:
        entries.append(f"LM/NNTPSVC/1/ROOT/Path={inetpub}\\nntpfile\\root")
    return b"MDBW\x04\x00\x00\x00" + "\r\n".join(entries).encode("utf-16-le")


def _queued_mail(computer_name: str, count: int) -> list[Action]:
    actions: list[Action] = []
    for index in range(1, count + 1):
        stamp = _DATA_TIME + 60 * index
        name = "NTFS_" + "{" + str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{computer_name}.mail.{index}")).upper() + "}"
        message = (f"Received: from client{index} by {computer_name} with Microsoft SMTPSVC;\r\n"
                   f"From: sender{index}@example.com\r\nTo: recipient{index}@example.org\r\n"
                   f"Subject: Queued message {index}\r\nDate: {clock.iso(stamp)}\r\n\r\n"
                   f"Message {index} waiting in the queue of {computer_name}.\r\n")
        actions.append(WriteData(f"{MAILROOT}\\Queue\\{name}.EML", message.encode("ascii"), stamp))
    return actions


def _news_articles(computer_name: str, count: int) -> list[Action]:
    actions: list[Action] = []
    for index in range(1, count + 1):
        stamp = _DATA_TIME + 90 * index
        article = (f"Path: {computer_name.lower()}\r\nFrom: poster{index}@example.com\r\nNewsgroups: local.general\r\n"
                   f"Subject: Article {index}\r\nMessage-ID: <{index}@{computer_name.lower()}>\r\n"
                   f"Date: {clock.iso(stamp)}\r\n\r\nArticle {index} of local.general.\r\n")
        actions.append(WriteData(f"{NNTPFILE}\\root\\local\\general\\{index:08x}.nws", article.encode("ascii"),
                                 stamp))
    return actions
