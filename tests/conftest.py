"""Session-wide pytest plugins: figures printed at the end of a run (the xdist controller only loads conftest
files above the paths it is given, so they are listed here)."""

pytest_plugins = [
    "tests.winsim.powershell.conformance_summary",
    "tests.winsim.powershell.differential_summary",
]
