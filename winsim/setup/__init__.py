"""Windows setup on a simulated host: the OC Manager engine behind Option Pack setup.exe and sysocmgr.exe,
driven by INF and answer files, and the synthetic installation media and Q197303 fix files it reads.

Public entry points: run_setup (synchronous), media.option_pack_files / fix_files / write_media / place_files;
detached runs go through winsim.host.runtime.detached.start_detached like any other program.
"""

from winsim.setup.engine import SetupResult, SetupRun
from winsim.setup.programs import run_setup
from winsim.setup.timing import SetupTiming

__all__ = ["SetupResult", "SetupRun", "SetupTiming", "run_setup"]
