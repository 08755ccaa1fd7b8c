"""Writes the synthetic INF text of the media: the master INF and each component's INF, original or fixed.

The only difference between the two variants is where an INF registers the service DLL directory
(`Parameters\\InstallPath`) and the COM servers: the original hard-codes `%11%\\inetsrv` (system32\\inetsrv),
the fixed one names the IIS install path (DIRID 32768) like its CopyFiles destination. Everything else,
including the files' destination, is the same. Text and names are our own; no Microsoft text.
"""

from __future__ import annotations

from winsim.setup.catalog import (
    COMPONENTS,
    HELPER_DLL,
    HELPER_ENTRY,
    IIS_DIRID,
    INETPUB_DIRID,
    SYSTEM32_DIRID,
    WINDIR_DIRID,
    Component,
    Subcomponent,
    com_clsid,
)

ORIGINAL, FIXED = "original", "fixed"
_SERVICE_TYPE_SHARE_PROCESS = "0x20"
_START_AUTO = "2"
_PADDING_LINE = 78  # characters of one padding comment line before its CRLF
_PADDING_NOTE = b"; The comment lines below pad this synthetic file to the size of the file it stands for.\r\n"


def _header(title: str, variant: str) -> list[str]:
    return [
        f"; {title}",
        "; SYNTHETIC FILE written by winsim, the simulated Windows fleet of a test suite.",
        "; It is not a Microsoft file and contains no Microsoft text; it only models what such a file says.",
        f"; Variant: {variant}.",
        "",
        "[Version]",
        'Signature = "$Windows NT$"',
        "Provider = %Provider%",
        "",
    ]


def master_inf() -> str:
    """The master INF (setup.inf beside setup.exe, or sysoc.inf in %windir%\\inf): which component INF and
    which setup helper each component has."""
    lines = _header("Master setup information for the SMTP and NNTP components", "master")
    lines += ["[Components]", "; component = helper DLL, entry point, component INF, , flags"]
    lines += [f"{c.key} = {HELPER_DLL},{HELPER_ENTRY},{c.inf},,7" for c in COMPONENTS]
    lines += ["", "[Strings]", 'Provider = "winsim (synthetic)"', ""]
    return "\r\n".join(lines)


def component_inf(component: Component, variant: str, size: int | None = None) -> bytes:
    """A component's INF as bytes (ANSI, CRLF), padded with comment lines to exactly `size` when given."""
    if variant not in (ORIGINAL, FIXED):
        raise ValueError(f"variant must be {ORIGINAL!r} or {FIXED!r}")
    registered = f"%{SYSTEM32_DIRID}%\\inetsrv" if variant == ORIGINAL else f"%{IIS_DIRID}%"
    described = ("original release: service DLL directory and COM servers registered in %11%\\inetsrv"
                 if variant == ORIGINAL else
                 "fixed release: service DLL directory and COM servers registered in the IIS install path")
    lines = _header(f"{component.inf}: setup information for the {component.title}", described)
    lines += ["[Optional Components]", *(s.name for s in component.subcomponents), ""]
    destinations = [f"DefaultDestDir = {IIS_DIRID}"]
    strings = ['Provider = "winsim (synthetic)"']
    for sub in component.subcomponents:
        lines += _subcomponent_sections(component, sub, registered, destinations)
        strings.append(f'{sub.name}_Desc = "{sub.description}"')
        if sub.service:
            strings.append(f'{sub.service.name}_Name = "{sub.service.display_name}"')
    lines += ["[DestinationDirs]", *destinations, "", "[Strings]", *strings, ""]
    data = "\r\n".join(lines).encode("ascii")
    return data if size is None else _pad(data, size, component.inf)


def _subcomponent_sections(component: Component, sub: Subcomponent, registered: str,
                           destinations: list[str]) -> list[str]:
    base = sub.name
    install, uninstall = [], []
    sections: list[str] = []
    if sub.iis_files:
        install.append(f"CopyFiles = {base}_Files")
        uninstall.append(f"DelFiles = {base}_Files")
        destinations.append(f"{base}_Files = {IIS_DIRID}")
        sections += [f"[{base}_Files]", *(name for name, _ in sub.iis_files), ""]
    if sub.system_files:
        install.append(f"CopyFiles = {base}_System_Files")
        uninstall.append(f"DelFiles = {base}_System_Files")
        destinations.append(f"{base}_System_Files = {SYSTEM32_DIRID}")
        sections += [f"[{base}_System_Files]", *(name for name, _ in sub.system_files), ""]
    if sub.doc_files:
        install.append(f"CopyFiles = {base}_Doc_Files")
        uninstall.append(f"DelFiles = {base}_Doc_Files")
        destinations.append(f"{base}_Doc_Files = {WINDIR_DIRID}, help\\iishelp\\{component.doc_folder}")
        sections += [f"[{base}_Doc_Files]", *sub.doc_files, ""]
    if sub.com_servers:
        install.append(f"AddReg = {base}_Com_Reg")
        uninstall.append(f"DelReg = {base}_Com_DelReg")
        sections += [f"[{base}_Com_Reg]"]
        for dll in sub.com_servers:
            key = f"CLSID\\{com_clsid(dll)}\\InprocServer32"
            sections += [f'HKCR,"{key}",,0,"{registered}\\{dll}"', f'HKCR,"{key}",ThreadingModel,0,"Both"']
        sections += ["", f"[{base}_Com_DelReg]", *(f'HKCR,"CLSID\\{com_clsid(dll)}"' for dll in sub.com_servers),
                     ""]
    if sub.data_root:
        install.append(f"CreateDirs = {base}_Data_Dirs")
        uninstall.append(f"DelDirs = {base}_Data_Root")
        destinations.append(f"{base}_Data_Dirs = {INETPUB_DIRID}, {sub.data_root}")
        destinations.append(f"{base}_Data_Root = {INETPUB_DIRID}")
        sections += [f"[{base}_Data_Dirs]", *sub.data_dirs, "", f"[{base}_Data_Root]", sub.data_root, ""]
    head = [f"[{sub.name}]", f"OptionDesc = %{sub.name}_Desc%", f"Modes = {sub.modes}"]
    if sub.needs:
        head.append(f"Needs = {sub.needs}")
    head += [*install, f"Uninstall = {sub.name}_Uninstall", ""]
    if sub.service:
        service = sub.service
        head += [f"[{sub.name}.Services]", f"AddService = {service.name},,{base}_Service", ""]
        sections += [
            f"[{base}_Service]",
            f"DisplayName = %{service.name}_Name%",
            f"ServiceType = {_SERVICE_TYPE_SHARE_PROCESS}",
            f"StartType = {_START_AUTO}",
            "ErrorControl = 1",
            f"ServiceBinary = %{IIS_DIRID}%\\inetinfo.exe",
            f"Dependencies = {', '.join(service.dependencies)}",
            f"AddReg = {base}_Service_Reg",
            "",
            f"[{base}_Service_Reg]",
            f'HKR,Parameters,InstallPath,0,"{registered}"',
            "",
        ]
        uninstall_services = [f"[{sub.name}_Uninstall.Services]", f"DelService = {service.name}", ""]
    else:
        uninstall_services = []
    return [*head, f"[{sub.name}_Uninstall]", *uninstall, "", *uninstall_services, *sections]


def _pad(data: bytes, size: int, name: str) -> bytes:
    """Comment lines appended until the file is exactly `size` bytes."""
    missing = size - len(data)
    if missing < 0:
        raise ValueError(f"{name}: the text is {len(data)} bytes, more than the {size} it must be")
    lines = []
    if missing >= len(_PADDING_NOTE):
        lines.append(_PADDING_NOTE)
        missing -= len(_PADDING_NOTE)
    while missing > 0:
        length = min(missing, _PADDING_LINE + 2)
        if 0 < missing - length < 3:   # leave room for a last line of at least ";\r\n"
            length -= 3
        if length < 3:
            lines.append(b";" * length)
        else:
            lines.append(b";" + b"=" * (length - 3) + b"\r\n")
        missing -= length
    return data + b"".join(lines)
