"""IIS 5.0, the Internet Information Services of Windows 2000, installed as Windows 2000 setup installs it.

IIS 5.0 always lives in %windir%\\System32\\inetsrv; inetinfo.exe hosts every service and each is registered
where IIS is. The SMTP and NNTP services carry Windows 2000's names. The metabase is Metabase.bin. Names,
sizes and versions of the files are synthetic.
"""

from __future__ import annotations

from winsim.host import clock
from winsim.host.provisioning.actions import Action
from winsim.host.provisioning.iis import (
    INETPUB,
    MAIL_DIRECTORIES,
    NEWS_DIRECTORIES,
    Component,
    IisRelease,
    iis_actions,
)
from winsim.host.provisioning.iis4 import metabase_bin
from winsim.host.registry import RegType

IIS5 = IisRelease(
    version="5.0", product="Internet Information Services 5.0", file_version="5.0.2195.6620",
    files_time=clock.from_iso("2003-06-19T12:00:00Z"),
    admin=Component(
        "IISADMIN", "IIS Admin Service",
        (("inetinfo.exe", 13_072), ("iisadmin.dll", 14_096), ("infocomm.dll", 219_408), ("isatq.dll", 62_224),
         ("iisrtl.dll", 70_416), ("metadata.dll", 123_664), ("admwprox.dll", 43_280), ("coadmin.dll", 47_376),
         ("wam.dll", 88_336), ("iis.dll", 285_968)),
        com_servers=("admwprox.dll", "coadmin.dll")),
    components={
        "www": Component("W3SVC", "World Wide Web Publishing Service",
                         (("w3svc.dll", 337_168), ("asp.dll", 360_720), ("httpodbc.dll", 52_496),
                          ("sspifilt.dll", 30_992)),
                         directories=(INETPUB + "\\wwwroot", INETPUB + "\\scripts")),
        "ftp": Component("MSFTPSVC", "FTP Publishing Service", (("msftpsvc.dll", 124_176), ("ftpctrs2.dll", 9_488)),
                         directories=(INETPUB + "\\ftproot",)),
        "smtp": Component("SMTPSVC", "Simple Mail Transport Protocol (SMTP)",
                          (("smtpsvc.dll", 787_216), ("smtpadm.dll", 173_328), ("smtpsnap.dll", 226_576),
                           ("seo.dll", 209_168)),
                          com_servers=("seo.dll", "smtpadm.dll", "smtpsnap.dll"), directories=MAIL_DIRECTORIES),
        "nntp": Component("NNTPSVC", "Network News Transport Protocol (NNTP)",
                          (("nntpsvc.dll", 723_728), ("nntpadm.dll", 147_728), ("nntpsnap.dll", 201_488)),
                          com_servers=("nntpadm.dll", "nntpsnap.dll"), directories=NEWS_DIRECTORIES),
    },
    metabase=metabase_bin,
    inetstp=(("SetupString", RegType.REG_SZ, "IIS 5.0"),),
)


def iis5_actions(spec: dict) -> list[Action]:
    return iis_actions(spec, IIS5)
