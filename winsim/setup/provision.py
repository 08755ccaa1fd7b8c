"""Provisioning with the setup engine: IIS 4.0 whose SMTP and NNTP Option Pack setup installed from its INFs.

Profile "iis4-kb" (KB Q197303's typical history): IIS 2.0 was installed with NT 4.0 in C:\\Inetsrv and the
Option Pack upgraded it to IIS 4.0 there. The IIS core (IIS Admin, WWW, FTP, metabase, Inetpub) is laid down
by the IIS 4.0 provisioning; SMTP and NNTP are installed by running the Option Pack's setup.exe from the
original synthetic media, left on the host in %SystemDrive%\\NTOPTPAK\\<platform>. What the original INFs say
makes SMTP and NNTP fail to start (7023) with IIS outside %windir%\\system32\\inetsrv: nothing else decides it.
Then the data IIS 4.0 provisioning writes for them (queued mail, news articles, the metabase) is added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from winsim.host.environment import build_environment, expand
from winsim.host.provisioning.actions import WriteData, apply
from winsim.host.provisioning.iis4 import MAILROOT, NNTPFILE, iis4_actions
from winsim.setup.catalog import PLATFORMS
from winsim.setup.media import option_pack_files, place_files
from winsim.setup.programs import run_setup
from winsim.setup.timing import SetupTiming

if TYPE_CHECKING:
    from winsim.host import Host

MEDIA_FOLDER = r"%SystemDrive%\NTOPTPAK"
KB_IIS_PATH = r"C:\Inetsrv"
_BY_SETUP = {"smtp": "iis_smtp", "nntp": "iis_nntp"}


def provision_iis4_with_option_pack_setup(host: Host, spec: dict) -> None:
    """Install spec["iis"] on a provisioned Windows NT 4.0 host, SMTP and NNTP through Option Pack setup."""
    iis = spec["iis"]
    by_setup = [c for c in iis["components"] if c in _BY_SETUP]
    core = {**iis, "components": [c for c in iis["components"] if c not in _BY_SETUP],
            "smtp_queue_messages": 0, "nntp_articles": 0}
    apply(host, iis4_actions({**spec, "iis": core}))
    if not by_setup:
        return
    install_from_option_pack(host, [_BY_SETUP[c] for c in by_setup])
    data_roots = (MAILROOT.casefold(), NNTPFILE.casefold())
    apply(host, [a for a in iis4_actions(spec) if isinstance(a, WriteData) and (
        a.path.casefold().startswith(data_roots) or a.path.casefold().endswith("\\metabase.bin"))])


def install_from_option_pack(host: Host, subcomponents: list[str]) -> str:
    """Put the original Option Pack media on the host and run its setup.exe unattended (AddRemove) to install
    `subcomponents`; returns the media folder. A setup that fails raises RuntimeError with its error."""
    platform = host.architecture.key
    if platform not in PLATFORMS:
        raise RuntimeError(f"the Option Pack exists for {', '.join(PLATFORMS)}, not for {platform}")
    root = expand(MEDIA_FOLDER, build_environment(host.registry))
    media = f"{root}\\{platform}"
    place_files(host, media, option_pack_files(platform))
    answer = f"{root}\\unattend.txt"
    lines = ["[Global]", "MaintanenceMode = AddRemove", "", "[Components]", *(f"{s} = ON" for s in subcomponents)]
    host.fs.write_file(answer, ("\r\n".join(lines) + "\r\n").encode("ascii"))
    result = run_setup(host, f"{media}\\setup.exe", f"/u:{answer}", timing=SetupTiming.instant())
    if result.exit_code:
        raise RuntimeError(f"Option Pack setup failed with exit code {result.exit_code}: {result.error}")
    return media
