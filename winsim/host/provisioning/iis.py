"""IIS as its own setup installs it, for any release (iis4.py, iis5.py and iis6.py describe each release).

Every component's files go to the IIS directory (`iis.path`). Its services are hosted by inetinfo.exe there,
or by svchost.exe when the release says so (IIS 6.0's WWW service), and setup registers where each service's
DLL is (`Parameters\\InstallPath`, or `Parameters\\ServiceDll` for svchost): the IIS directory, except for a
component whose setup hard-codes the default path (IIS 4.0's SMTP and NNTP: KB Q197303). Then COM servers,
`InetStp`, the metabase files in the IIS directory, and the data: Inetpub\\wwwroot, ftproot, Mailroot (queued
mail as .EML files in Queue) and nntpfile (articles as .nws files under root). Names, sizes and contents of
the files are synthetic.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from winsim.host import clock
from winsim.host.environment import expand
from winsim.host.provisioning.actions import Action, CreateService, MakeDirectory, SetValue, WriteBinary, WriteData
from winsim.host.provisioning.windows import RELEASES
from winsim.host.registry import RegType
from winsim.host.services import SERVICE_WIN32_SHARE_PROCESS, START_AUTO

DEFAULT_IIS_PATH = "%SystemRoot%\\System32\\inetsrv"
INETSTP_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\InetStp"
CLSID_KEY = r"HKEY_LOCAL_MACHINE\SOFTWARE\Classes\CLSID"
INETPUB = "%SystemDrive%\\Inetpub"
MAILROOT = INETPUB + "\\Mailroot"
NNTPFILE = INETPUB + "\\nntpfile"
COMPONENTS = ("www", "ftp", "smtp", "nntp")
MAIL_DIRECTORIES = tuple(f"{MAILROOT}\\{d}" for d in ("BadMail", "Drop", "MailBox", "PickUp", "Queue", "Route",
                                                      "SortTemp"))
NEWS_DIRECTORIES = (*(f"{NNTPFILE}\\{d}" for d in ("Drop", "Failedpickup", "Pickup")),
                    *(f"{NNTPFILE}\\root\\control\\{g}" for g in ("cancel", "newgroup", "rmgroup")))
SVCHOST_IIS = "%SystemRoot%\\System32\\svchost.exe -k iissvcs"
_DATA_TIME = clock.from_iso("2000-01-03T09:00:00Z")


@dataclass(frozen=True)
class Component:
    service: str
    display_name: str
    binaries: tuple[tuple[str, int], ...]   # (file, size) in the IIS directory
    texts: tuple[str, ...] = ()             # readme files in the IIS directory
    com_servers: tuple[str, ...] = ()       # DLLs setup registers as COM in-process servers
    directories: tuple[str, ...] = ()
    honours_iis_path: bool = True           # False: setup registers it at the default path, wherever IIS is
    dependencies: tuple[str, ...] = ("IISADMIN",)
    svchost_dll: str | None = None          # hosted by svchost.exe (-k iissvcs), this DLL as its ServiceDll


@dataclass(frozen=True)
class IisRelease:
    version: str                            # "4.0": InetStp MajorVersion.MinorVersion
    product: str                            # what its readme files call it
    file_version: str
    files_time: float
    admin: Component                        # IIS Admin and the core every component needs
    components: dict[str, Component]
    metabase: Callable[[list[str], str], dict[str, bytes]]  # (components, Inetpub) -> {file name: content}
    inetstp: tuple[tuple[str, RegType, object], ...] = ()   # further InetStp values
    extra: Callable[[dict], list[Action]] = field(default=lambda spec: [])  # release-specific actions


def iis_actions(spec: dict, release: IisRelease) -> list[Action]:
    iis = spec["iis"]
    windows = RELEASES[spec["os_version"]]
    variables = {"SystemRoot": windows.system_root, "windir": windows.system_root,
                 "SystemDrive": windows.system_root[:2]}
    iis_dir = iis["path"].rstrip("\\")
    expanded_dir = expand(iis_dir, variables)
    default_dir = expand(DEFAULT_IIS_PATH, variables)
    inetpub = expand(INETPUB, variables)
    components = [release.admin, *(release.components[name] for name in iis["components"])]
    actions: list[Action] = [MakeDirectory(iis_dir), *release.extra(spec)]
    for component in components:
        actions += [WriteBinary(f"{iis_dir}\\{name}", size, release.files_time, dll=not name.endswith(".exe"),
                                version=release.file_version) for name, size in component.binaries]
        actions += [WriteData(f"{iis_dir}\\{name}", _readme(component, release), release.files_time)
                    for name in component.texts]
        actions += [MakeDirectory(d) for d in component.directories]
        registered = expanded_dir if component.honours_iis_path else default_dir
        actions += _registration(component, iis_dir, registered, release.admin)
    actions += _inetstp_values(release, iis["components"], expanded_dir, inetpub)
    actions += [WriteData(f"{iis_dir}\\{name}", content, None)
                for name, content in release.metabase(iis["components"], inetpub).items()]
    if "www" in iis["components"]:
        actions.append(WriteData(INETPUB + "\\wwwroot\\Default.htm",
                                 b"<html><body>Default Web Site (winsim)</body></html>\r\n", release.files_time))
    if "smtp" in iis["components"]:
        actions += queued_mail(spec["computer_name"], iis["smtp_queue_messages"])
    if "nntp" in iis["components"]:
        actions += news_articles(spec["computer_name"], iis["nntp_articles"])
    return actions


def com_clsid(dll: str) -> str:
    """A stable CLSID per COM server DLL (the setup engine's media register the same ones)."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"winsim:iis4:{dll}")).upper() + "}"


def _registration(component: Component, iis_dir: str, registered_dir: str, admin: Component) -> list[Action]:
    dependencies = ("RpcSs", "ProtectedStorage") if component is admin else component.dependencies
    if component.svchost_dll:
        image, parameters = SVCHOST_IIS, {"ServiceDll": (RegType.REG_EXPAND_SZ,
                                                         f"{iis_dir}\\{component.svchost_dll}")}
    else:
        image, parameters = f"{iis_dir}\\inetinfo.exe", {"InstallPath": (RegType.REG_SZ, registered_dir)}
    actions: list[Action] = [CreateService(component.service, component.display_name, image,
                                           SERVICE_WIN32_SHARE_PROCESS, START_AUTO, dependencies, parameters)]
    for dll in component.com_servers:
        server = f"{CLSID_KEY}\\{com_clsid(dll)}\\InprocServer32"
        actions += [SetValue(server, "", RegType.REG_SZ, f"{registered_dir}\\{dll}"),
                    SetValue(server, "ThreadingModel", RegType.REG_SZ, "Both")]
    return actions


def _inetstp_values(release: IisRelease, components: list[str], iis_dir: str, inetpub: str) -> list[Action]:
    major, minor = (int(p) for p in release.version.split("."))
    values = [
        SetValue(INETSTP_KEY, "MajorVersion", RegType.REG_DWORD, major),
        SetValue(INETSTP_KEY, "MinorVersion", RegType.REG_DWORD, minor),
        SetValue(INETSTP_KEY, "VersionString", RegType.REG_SZ, f"Version {release.version}"),
        SetValue(INETSTP_KEY, "InstallPath", RegType.REG_SZ, iis_dir),
        *(SetValue(INETSTP_KEY, name, kind, data) for name, kind, data in release.inetstp),
    ]
    if "www" in components:
        values.append(SetValue(INETSTP_KEY, "PathWWWRoot", RegType.REG_SZ, f"{inetpub}\\wwwroot"))
    if "ftp" in components:
        values.append(SetValue(INETSTP_KEY, "PathFTPRoot", RegType.REG_SZ, f"{inetpub}\\ftproot"))
    return values


def _readme(component: Component, release: IisRelease) -> bytes:
    return (f"{component.display_name} for {release.product}\r\n"
            "Synthetic readme written by winsim.\r\n").encode("ascii")


def metabase_paths(components: list[str], inetpub: str) -> list[tuple[str, str]]:
    """(metabase path, value) of the directories IIS keeps in its metabase (KB Q247958)."""
    entries = []
    if "www" in components:
        entries.append(("LM/W3SVC/1/ROOT/Path", f"{inetpub}\\wwwroot"))
    if "ftp" in components:
        entries.append(("LM/MSFTPSVC/1/ROOT/Path", f"{inetpub}\\ftproot"))
    if "smtp" in components:
        entries += [(f"LM/SMTPSVC/1/{k}Directory", f"{inetpub}\\Mailroot\\{d}")
                    for k, d in (("Queue", "Queue"), ("Pickup", "PickUp"), ("Drop", "Drop"), ("BadMail", "BadMail"))]
    if "nntp" in components:
        entries.append(("LM/NNTPSVC/1/ROOT/Path", f"{inetpub}\\nntpfile\\root"))
    return entries


def queued_mail(computer_name: str, count: int) -> list[Action]:
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


def news_articles(computer_name: str, count: int) -> list[Action]:
    actions: list[Action] = []
    for index in range(1, count + 1):
        stamp = _DATA_TIME + 90 * index
        article = (f"Path: {computer_name.lower()}\r\nFrom: poster{index}@example.com\r\nNewsgroups: local.general\r\n"
                   f"Subject: Article {index}\r\nMessage-ID: <{index}@{computer_name.lower()}>\r\n"
                   f"Date: {clock.iso(stamp)}\r\n\r\nArticle {index} of local.general.\r\n")
        actions.append(WriteData(f"{NNTPFILE}\\root\\local\\general\\{index:08x}.nws", article.encode("ascii"),
                                 stamp))
    return actions
