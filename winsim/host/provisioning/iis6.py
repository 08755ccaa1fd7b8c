"""IIS 6.0, the Internet Information Services of Windows Server 2003, installed as its setup installs it.

IIS 6.0 always lives in %windir%\\System32\\inetsrv. inetinfo.exe hosts IIS Admin, FTP, SMTP and NNTP; the
WWW service runs in svchost.exe (-k iissvcs, ServiceDll iisw3adm.dll) and needs the HTTP kernel driver
(http.sys). NNTP is an optional component of Windows Server 2003 (it left with Windows Server 2008). The
metabase is MetaBase.xml with its schema MBSchema.xml. Names, sizes and versions of the files are synthetic.
"""

from __future__ import annotations

from winsim.host import clock
from winsim.host.provisioning.actions import Action, SetValue, WriteBinary
from winsim.host.provisioning.iis import (
    INETPUB,
    MAIL_DIRECTORIES,
    NEWS_DIRECTORIES,
    Component,
    IisRelease,
    iis_actions,
    metabase_paths,
)
from winsim.host.registry import RegType
from winsim.host.services import SERVICE_KERNEL_DRIVER, SERVICES_KEY, START_DEMAND

FILES_TIME = clock.from_iso("2007-02-17T12:00:00Z")
FILE_VERSION = "6.0.3790.3959"
_XML_KEYS = {"LM/W3SVC/1/ROOT/Path": ("IIsWebVirtualDir", "/LM/W3SVC/1/ROOT", "Path"),
             "LM/MSFTPSVC/1/ROOT/Path": ("IIsFtpVirtualDir", "/LM/MSFTPSVC/1/ROOT", "Path"),
             "LM/NNTPSVC/1/ROOT/Path": ("IIsNntpVirtualDir", "/LM/NNTPSVC/1/ROOT", "Path")}


def metabase_xml(components: list[str], inetpub: str) -> dict[str, bytes]:
    """Stand-ins for MetaBase.xml and MBSchema.xml holding the paths IIS keeps in its metabase."""
    lines = ['<?xml version ="1.0"?>', '<configuration xmlns="urn:microsoft-catalog:XML_Metabase_V64_0">',
             "<!-- synthetic metabase written by winsim -->", "<MBProperty>"]
    smtp = []
    for path, value in metabase_paths(components, inetpub):
        if path in _XML_KEYS:
            element, location, attribute = _XML_KEYS[path]
            lines.append(f'<{element}\tLocation ="{location}"\n\t\t{attribute}="{value}"\n\t>\n</{element}>')
        else:
            smtp.append(f'\t\t{path.rsplit("/", 1)[1]}="{value}"')
    if smtp:
        lines.append('<IIsSmtpServer\tLocation ="/LM/SMTPSVC/1"\n' + "\n".join(smtp) + "\n\t>\n</IIsSmtpServer>")
    lines += ["</MBProperty>", "</configuration>", ""]
    schema = '<?xml version ="1.0"?>\r\n<MetaData xmlns="x-schema:CatMeta.xms">\r\n<!-- synthetic schema -->\r\n' \
             "</MetaData>\r\n"
    return {"MetaBase.xml": "\r\n".join(lines).encode("utf-8"), "MBSchema.xml": schema.encode("utf-8")}


def _http_driver(spec: dict) -> list[Action]:
    key = f"{SERVICES_KEY}\\HTTP"
    return [WriteBinary("%SystemRoot%\\System32\\drivers\\http.sys", 265_088, FILES_TIME, dll=False,
                        version=FILE_VERSION),
            SetValue(key, "Type", RegType.REG_DWORD, SERVICE_KERNEL_DRIVER),
            SetValue(key, "Start", RegType.REG_DWORD, START_DEMAND),
            SetValue(key, "ErrorControl", RegType.REG_DWORD, 1),
            SetValue(key, "ImagePath", RegType.REG_EXPAND_SZ, "System32\\Drivers\\HTTP.sys"),
            SetValue(key, "DisplayName", RegType.REG_SZ, "HTTP")]


IIS6 = IisRelease(
    version="6.0", product="Internet Information Services 6.0", file_version=FILE_VERSION, files_time=FILES_TIME,
    admin=Component(
        "IISADMIN", "IIS Admin Service",
        (("inetinfo.exe", 14_336), ("iisadmin.dll", 16_384), ("infocomm.dll", 254_976), ("isatq.dll", 68_608),
         ("iisrtl.dll", 94_720), ("metadata.dll", 186_368), ("admwprox.dll", 48_640), ("coadmin.dll", 52_736),
         ("iis.dll", 324_608)),
        com_servers=("admwprox.dll", "coadmin.dll")),
    components={
        "www": Component("W3SVC", "World Wide Web Publishing Service",
                         (("iisw3adm.dll", 279_040), ("w3wp.exe", 8_192), ("w3core.dll", 261_120),
                          ("w3isapi.dll", 14_336), ("asp.dll", 386_048)),
                         directories=(INETPUB + "\\wwwroot", INETPUB + "\\AdminScripts"),
                         dependencies=("HTTP", "IISADMIN"), svchost_dll="iisw3adm.dll"),
        "ftp": Component("MSFTPSVC", "FTP Publishing Service", (("msftpsvc.dll", 147_968), ("ftpctrs2.dll", 9_216)),
                         directories=(INETPUB + "\\ftproot",)),
        "smtp": Component("SMTPSVC", "Simple Mail Transfer Protocol (SMTP)",
                          (("smtpsvc.dll", 855_552), ("smtpadm.dll", 150_016), ("smtpsnap.dll", 229_888)),
                          com_servers=("smtpadm.dll", "smtpsnap.dll"), directories=MAIL_DIRECTORIES),
        "nntp": Component("NNTPSVC", "Network News Transfer Protocol (NNTP)",
                          (("nntpsvc.dll", 817_664), ("nntpadm.dll", 171_008), ("nntpsnap.dll", 265_728)),
                          com_servers=("nntpadm.dll", "nntpsnap.dll"), directories=NEWS_DIRECTORIES),
    },
    metabase=metabase_xml,
    inetstp=(("SetupString", RegType.REG_SZ, "IIS 6.0"),),
    extra=_http_driver,
)


def iis6_actions(spec: dict) -> list[Action]:
    return iis_actions(spec, IIS6)
