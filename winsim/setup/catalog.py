"""What the synthetic Option Pack media hold: the SMTP and NNTP setup components, their files and services.

Only media.py reads this (to write INF text and dummy binaries); setup itself knows nothing of it and acts on
the INFs alone. File names follow the KB articles (Q245208 lists the SMTP DLLs); sizes, dates and versions are
synthetic. The fix rows are KB Q197303's table (sizes exact, dates read as UTC).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from winsim.host import pe

PLATFORMS = ("x86", "alpha")
MACHINES = {"x86": pe.MACHINE_I386, "alpha": pe.MACHINE_ALPHA}
# Binaries for Alpha are larger than their x86 builds (RISC code); a fixed ratio keeps sizes plausible.
ALPHA_SIZE_RATIO = 1.25

IIS_DIRID = 32768       # set by the setup helper: the IIS install path (InetStp\InstallPath)
INETPUB_DIRID = 32769   # set by the setup helper: the Inetpub folder (parent of the WWW root)
SYSTEM32_DIRID = 11
WINDIR_DIRID = 10

HELPER_DLL = "Imsinsc.dll"
HELPER_ENTRY = "OcEntry"
MASTER_INF = "setup.inf"   # the Option Pack's master INF, next to setup.exe
PROGRAM_VERSION = "4.2.622.1"


def _utc(text: str) -> float:
    return datetime.strptime(text, "%m/%d/%y %I:%M%p").replace(tzinfo=UTC).timestamp()


@dataclass(frozen=True)
class Dated:
    size: int
    mtime: float
    version: str = ""


# KB Q197303 (and Q254590, which gives the helper's version): the fix files, per platform.
FIX_FILES: dict[str, dict[str, Dated]] = {
    "x86": {"Ims.inf": Dated(33_535, _utc("11/25/98 08:05PM")),
            "Imsinsc.dll": Dated(515_856, _utc("12/02/98 11:29AM"), "5.5.1877.24"),
            "Ins.inf": Dated(36_868, _utc("11/25/98 08:04PM"))},
    "alpha": {"Ims.inf": Dated(33_628, _utc("12/03/98 09:59PM")),
              "Imsinsc.dll": Dated(615_696, _utc("12/02/98 11:22AM"), "5.5.1877.24"),
              "Ins.inf": Dated(37_049, _utc("12/03/98 10:00PM"))},
}
# The same three files as the Option Pack shipped them (synthetic: smaller and older than the fix's).
ORIGINAL_FILES: dict[str, dict[str, Dated]] = {
    "x86": {"Ims.inf": Dated(33_112, _utc("11/19/97 12:00PM")),
            "Imsinsc.dll": Dated(514_832, _utc("11/19/97 12:00PM"), "5.5.1774.1"),
            "Ins.inf": Dated(36_448, _utc("11/19/97 12:00PM"))},
    "alpha": {"Ims.inf": Dated(33_208, _utc("11/19/97 12:00PM")),
              "Imsinsc.dll": Dated(614_672, _utc("11/19/97 12:00PM"), "5.5.1774.1"),
              "Ins.inf": Dated(36_632, _utc("11/19/97 12:00PM"))},
}
MEDIA_TIME = _utc("11/19/97 12:00PM")
SETUP_EXE_SIZE = 71_952


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    display_name: str
    dependencies: tuple[str, ...] = ("IISADMIN",)


@dataclass(frozen=True)
class Subcomponent:
    name: str
    description: str
    modes: str                                  # setup modes that select it by default: 0 Minimal .. 3 Custom
    iis_files: tuple[tuple[str, int], ...] = () # (file, x86 size) into the IIS install path; size 0: text
    system_files: tuple[tuple[str, int], ...] = ()
    doc_files: tuple[str, ...] = ()             # into %windir%\help\iishelp\<doc_folder>
    service: ServiceEntry | None = None
    com_servers: tuple[str, ...] = ()           # DLLs registered as COM in-process servers
    data_root: str = ""                         # folder under Inetpub holding the component's data
    data_dirs: tuple[str, ...] = ()
    needs: str = ""


@dataclass(frozen=True)
class Component:
    key: str            # its name in the master INF's [Components]
    inf: str            # its INF file
    title: str
    doc_folder: str
    subcomponents: tuple[Subcomponent, ...]


COMPONENTS: tuple[Component, ...] = (
    Component("ims", "Ims.inf", "SMTP Service", "smtp", (
        Subcomponent(
            "iis_smtp", "SMTP Service", "1,3",
            iis_files=(("smtpsvc.dll", 428_816), ("jpudll.dll", 22_288), ("mboxapi.dll", 17_168),
                       ("seo.dll", 198_416), ("seos.dll", 67_344), ("smtpadm.dll", 141_584),
                       ("smtpkey.dll", 31_504), ("smtpsnap.dll", 162_064), ("smtpread.txt", 0)),
            system_files=(("smtpctrs.dll", 13_584),),
            service=ServiceEntry("SMTPSVC", "Microsoft SMTP Service"),
            com_servers=("seo.dll", "seos.dll", "smtpadm.dll", "smtpsnap.dll"),
            data_root="Mailroot",
            data_dirs=("BadMail", "Drop", "MailBox", "PickUp", "Queue", "Route", "SortTemp")),
        Subcomponent("iis_smtp_docs", "SMTP Service documentation", "1,3", doc_files=("smtpdoc.htm",),
                     needs="iis_smtp"),
    )),
    Component("ins", "Ins.inf", "NNTP Service", "nntp", (
        Subcomponent(
            "iis_nntp", "NNTP Service", "3",
            iis_files=(("nntpsvc.dll", 392_464), ("nntpadm.dll", 118_032), ("nntpsnap.dll", 149_776),
                       ("nntpread.txt", 0)),
            system_files=(("nntpctrs.dll", 12_560),),
            service=ServiceEntry("NNTPSVC", "Microsoft NNTP Service"),
            com_servers=("nntpadm.dll", "nntpsnap.dll"),
            data_root="nntpfile",
            data_dirs=("Drop", "Failedpickup", "Pickup", "root", r"root\control\cancel",
                       r"root\control\newgroup", r"root\control\rmgroup")),
        Subcomponent("iis_nntp_docs", "NNTP Service documentation", "3", doc_files=("nntpdoc.htm",),
                     needs="iis_nntp"),
    )),
)


def com_clsid(dll: str) -> str:
    """A stable CLSID per COM server DLL (the same one the IIS 4.0 provisioning registers)."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"winsim:iis4:{dll}")).upper() + "}"


def platform_size(size: int, platform: str) -> int:
    return size if platform == "x86" else int(size * ALPHA_SIZE_RATIO) // 16 * 16
