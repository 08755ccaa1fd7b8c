"""Registers the conformance summary plugin for sessions started in or below tests/winsim (a session started
from tests/ gets it from tests/conftest.py's pytest_plugins, under the same module name, so it counts once)."""

from __future__ import annotations

import importlib

SUMMARY_PLUGIN = "tests.winsim.powershell.conformance_summary"


def pytest_configure(config) -> None:
    if not config.pluginmanager.has_plugin(SUMMARY_PLUGIN):
        config.pluginmanager.register(importlib.import_module(SUMMARY_PLUGIN), SUMMARY_PLUGIN)
