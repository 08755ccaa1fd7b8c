"""Canonical path comparison: different spellings of one directory are the same place."""

from __future__ import annotations

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import iis_paths

ENV = {"windir": "C:\\WINNT", "SystemRoot": "C:\\WINNT", "SystemDrive": "C:"}


@pytest.mark.parametrize(
    "spelling",
    [
        "%windir%\\system32\\inetsrv",
        "%SystemRoot%\\System32\\InetSrv",
        "%SYSTEMROOT%\\system32\\inetsrv\\",
        "C:\\WINNT\\system32\\inetsrv",
        "c:/winnt/system32/inetsrv/",
        "C:\\WINNT\\\\system32\\.\\inetsrv\\\\",
        "C:\\WINNT\\system32\\drivers\\..\\inetsrv",
        '"C:\\WINNT\\system32\\inetsrv"',
        "%SystemDrive%\\winnt\\system32\\inetsrv",
        "\\\\?\\C:\\WINNT\\system32\\inetsrv",
    ],
)
def test_spellings_of_the_default_directory_are_the_same_path(spelling):
    assert iis_paths.same_path(spelling, iis_paths.DEFAULT_IIS_DIRECTORY, ENV)


@pytest.mark.parametrize(
    "other",
    [
        "D:\\WINNT\\system32\\inetsrv",
        "C:\\WINNT\\system32\\inetsrv2",
        "C:\\Inetsrv",
        "C:\\WINNT\\system32",
        "%UNKNOWN%\\system32\\inetsrv",
    ],
)
def test_other_directories_differ(other):
    assert not iis_paths.same_path(other, iis_paths.DEFAULT_IIS_DIRECTORY, ENV)


def test_unknown_paths_never_compare_equal():
    assert not iis_paths.same_path(None, None, ENV)
    assert not iis_paths.same_path("", "  ", ENV)
    assert iis_paths.canonical_path(None, ENV) is None


def test_drive_roots_keep_their_backslash_and_unc_paths_their_prefix():
    assert iis_paths.canonical_path("c:\\", ENV) == "C:\\"
    assert iis_paths.canonical_path("\\\\server\\Share\\inetsrv\\", ENV) == "\\\\SERVER\\SHARE\\INETSRV"


def test_service_image_prefixes_resolve_to_the_windows_directory():
    assert iis_paths.expanded_path("\\SystemRoot\\System32\\inetsrv\\inetinfo.exe", ENV) == (
        "C:\\WINNT\\System32\\inetsrv\\inetinfo.exe"
    )
    assert iis_paths.expanded_path("\\??\\D:\\Inetsrv\\inetinfo.exe", ENV) == "D:\\Inetsrv\\inetinfo.exe"


def test_case_folding_is_one_character_at_a_time_like_windows():
    # str.upper() would turn the sharp s into "SS" and make these two names equal.
    assert not iis_paths.same_path("C:\\stra\u00dfe", "C:\\STRASSE", ENV)
    assert iis_paths.same_path("C:\\\u00e9t\u00e9", "C:\\\u00c9T\u00c9", ENV)


def test_parent_directory_and_default_directory():
    image = "%windir%\\system32\\inetsrv\\inetinfo.exe"
    assert iis_paths.parent_directory(image, ENV) == "C:\\WINNT\\system32\\inetsrv"
    assert iis_paths.parent_directory(None, ENV) is None
    assert iis_paths.default_iis_directory(ENV) == "C:\\WINNT\\system32\\inetsrv"
    assert iis_paths.default_iis_directory({"SystemRoot": "D:\\WIN\\"}) == "D:\\WIN\\system32\\inetsrv"
    assert iis_paths.default_iis_directory({}) is None
