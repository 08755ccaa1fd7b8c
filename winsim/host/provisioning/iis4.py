"""IIS 4.0 from the Windows NT 4.0 Option Pack, installed as its original setup installs it (see iis.py).

The IIS directory is `iis.path` (%windir%\\System32\\inetsrv by default; IIS 2.0's setup let it be changed and
an upgrade to 4.0 keeps it), and inetinfo.exe there hosts every service. Setup registers IIS Admin, WWW and
FTP at the IIS directory, but SMTP and NNTP at the hard-coded default path (the setup bug of KB Q197303): so
with IIS anywhere else, SMTP and NNTP fail to start (7023). The metabase is Metabase.bin.
"""

from __future__ import annotations

from winsim.host import clock
from winsim.host.provisioning.actions import Action
from winsim.host.provisioning.iis import (
    CLSID_KEY,
    COMPONENTS,
    DEFAULT_IIS_PATH,
    INETPUB,
    INETSTP_KEY,
    MAIL_DIRECTORIES,
    MAILROOT,
    NEWS_DIRECTORIES,
    NNTPFILE,
    Component,
    IisRelease,
    iis_actions,
    metabase_paths,
)

__all__ = ["CLSID_KEY", "COMPONENTS", "DEFAULT_IIS_PATH", "FILE_VERSION", "HARD_CODED_PATH", "IIS4", "INETPUB",
           "INETSTP_KEY", "MAILROOT", "NNTPFILE", "iis4_actions"]

HARD_CODED_PATH = DEFAULT_IIS_PATH  # where the original setup registers SMTP and NNTP, whatever the IIS path
FILE_VERSION = "4.2.622.1"


def metabase_bin(components: list[str], inetpub: str) -> dict[str, bytes]:
    """A stand-in for the binary metabase: a header, then the paths IIS keeps there (KB Q247958)."""
    entries = [f"{path}={value}" for path, value in metabase_paths(components, inetpub)]
    return {"Metabase.bin": b"MDBW\x04\x00\x00\x00" + "\r\n".join(entries).encode("utf-16-le")}


IIS4 = IisRelease(
    version="4.0", product="Internet Information Server 4.0", file_version=FILE_VERSION,
    files_time=clock.from_iso("1997-11-20T12:00:00Z"),
    admin=Component(
        "IISADMIN", "IIS Admin Service",
        (("inetinfo.exe", 15_120), ("iisadmin.dll", 12_560), ("infocomm.dll", 189_712), ("isatq.dll", 45_328),
         ("iisrtl.dll", 57_616), ("metadata.dll", 95_504), ("admwprox.dll", 36_624), ("coadmin.dll", 43_792),
         ("wam.dll", 73_488), ("iis.dll", 240_912), ("inetmgr.exe", 9_488)),
        com_servers=("admwprox.dll", "coadmin.dll")),
    components={
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
                          directories=MAIL_DIRECTORIES, honours_iis_path=False),
        "nntp": Component("NNTPSVC", "Microsoft NNTP Service",
                          (("nntpsvc.dll", 392_464), ("nntpadm.dll", 118_032), ("nntpsnap.dll", 149_776)),
                          texts=("nntpread.txt",), com_servers=("nntpadm.dll", "nntpsnap.dll"),
                          directories=NEWS_DIRECTORIES, honours_iis_path=False),
    },
    metabase=metabase_bin,
)


def iis4_actions(spec: dict) -> list[Action]:
    return iis_actions(spec, IIS4)
