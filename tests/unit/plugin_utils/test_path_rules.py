"""The one path rule (issue 9, items 1 and 7): nothing is written inside, or around, what the procedure deletes
or replaces, and a path Windows would refuse fails before the first write."""

from __future__ import annotations

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.path_rules import (
    expand_path,
    refuse_overlaps,
    windows_path_problem,
)

ENV = {"SystemDrive": "C:", "windir": "C:\\WINNT", "SystemRoot": "C:\\WINNT", "TEMP": "C:\\TEMP"}
DATA = {"the mail root": "C:\\Inetpub\\Mailroot", "the IIS directory": "C:\\Inetsrv"}


@pytest.mark.parametrize(("backup", "says"), [
    ("C:\\InetPub\\Mailroot\\bk", "lies inside the mail root"),
    ("c:/inetpub/mailroot", "lies inside the mail root"),
    ("C:\\Inetpub", "holds the mail root"),
    ("C:\\", "holds the mail root"),
    ("%SystemDrive%\\Inetsrv\\.\\backup", "lies inside the IIS directory"),
])
def test_a_place_inside_or_around_destroyed_data_is_refused(backup, says):
    with pytest.raises(IisHotfixError, match=says) as raised:
        refuse_overlaps({"backup_dir": backup}, DATA, ENV)
    assert "nothing was changed" in raised.value.message


def test_places_apart_from_the_data_pass():
    refuse_overlaps({"backup_dir": "C:\\Inetpub\\Mailroot-backup", "install point": "C:\\iis_hotfix\\ip"}, DATA, ENV)


@pytest.mark.parametrize(("path", "problem"), [
    ("C:\\bk\\a|b", "forbids"), ("C:\\bk\\what?", "forbids"), ("C:\\bk\\a:b", "forbids"), ("C:\\bk\\CON", "device"),
    ("C:\\bk\\nul.txt", "device"), ("C:\\bk\\dots.", "ends with a space or a dot"), ("bk", "not an absolute"),
    ("\\\\server", "server and a share"), ("\\\\?\\C:\\bk", "device paths"),
])
def test_paths_windows_refuses_are_named(path, problem):
    assert problem in (windows_path_problem(path) or "")


def test_variables_are_expanded_from_the_host_and_unknown_ones_named():
    assert expand_path("backup_dir", "%TEMP%\\iis_hotfix\\", ENV) == "C:\\TEMP\\iis_hotfix"
    with pytest.raises(IisHotfixError, match="names %NOPE%, not set on the host"):
        expand_path("backup_dir", "%NOPE%\\x", ENV)
    with pytest.raises(IisHotfixError, match="not a usable Windows path"):
        expand_path("backup_dir", "C:\\a<b", ENV)
