"""Which platform's fix files a host gets: its native architecture, or the one the user asked for."""

from __future__ import annotations

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_platform import (
    choose_platform,
    native_architecture,
    platform_of_architecture,
)

Q197303_PLATFORMS = ("x86", "alpha")


def system_info(process, wow64=None, native=None):
    return {"architecture": {"process": process, "wow64": wow64, "native": native, "pointer_bits": 32}}


@pytest.mark.parametrize(
    ("info", "architecture", "platform"),
    [
        (system_info("x86", native="x86"), "x86", "x86"),
        (system_info("X86"), "X86", "x86"),
        (system_info("ALPHA", native="ALPHA"), "ALPHA", "alpha"),
        # A 32-bit agent on 64-bit Windows: PROCESSOR_ARCHITEW6432 names the native architecture.
        (system_info("x86", wow64="AMD64", native="AMD64"), "AMD64", "amd64"),
        (system_info("x86", wow64="IA64"), "IA64", "ia64"),
        (system_info("AMD64", native="AMD64"), "AMD64", "amd64"),
        (system_info("ARM64"), "ARM64", None),
        (system_info("MIPS"), "MIPS", None),
    ],
)
def test_native_architecture_and_its_platform(info, architecture, platform):
    assert native_architecture(info) == architecture
    assert platform_of_architecture(architecture) == platform


def test_native_is_the_last_resort():
    assert native_architecture({"architecture": {"native": "ALPHA"}}) == "ALPHA"
    assert native_architecture({"architecture": {}}) is None
    assert native_architecture({}) is None


@pytest.mark.parametrize(("info", "platform"), [(system_info("x86"), "x86"), (system_info("ALPHA"), "alpha")])
def test_auto_picks_the_hosts_platform(info, platform):
    choice = choose_platform("auto", info, Q197303_PLATFORMS)
    assert (choice.platform, choice.warning) == (platform, None)


def test_auto_on_a_64_bit_host_names_its_architecture_when_the_kb_has_no_files_for_it():
    with pytest.raises(IisHotfixError) as raised:
        choose_platform("auto", system_info("x86", wow64="AMD64"), Q197303_PLATFORMS)
    assert raised.value.message == (
        "the host's native architecture is AMD64, and the manifest has fix files only for x86, alpha"
    )


def test_auto_on_a_64_bit_host_picks_its_files_when_the_manifest_has_them():
    choice = choose_platform("auto", system_info("x86", wow64="AMD64"), ("x86", "amd64"))
    assert choice.platform == "amd64"


def test_auto_needs_the_architecture():
    with pytest.raises(IisHotfixError, match="did not report its processor architecture; set platform explicitly"):
        choose_platform("auto", {}, Q197303_PLATFORMS)


def test_an_explicit_platform_wins_and_warns_when_it_is_not_the_hosts():
    choice = choose_platform("alpha", system_info("x86"), Q197303_PLATFORMS)
    assert choice.platform == "alpha"
    assert choice.warning == (
        "platform alpha was requested but the host's native architecture is x86: the fix files are checked "
        "against alpha"
    )
    assert choose_platform("x86", system_info("X86"), Q197303_PLATFORMS).warning is None


def test_an_explicit_platform_must_be_in_the_manifest():
    with pytest.raises(IisHotfixError, match="the manifest has no fix files for platform ia64; it lists x86, alpha"):
        choose_platform("ia64", system_info("x86", wow64="IA64"), Q197303_PLATFORMS)
