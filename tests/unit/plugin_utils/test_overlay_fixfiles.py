"""The user's fix files on the controller: where they are found, and the "or later" rule that judges them."""

from __future__ import annotations

import hashlib
import os
import struct

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.hotfix_manifest import (
    load_builtin_manifest,
    parse_manifest,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.overlay_fixfiles import (
    FixFileError,
    check_fix_files,
    parse_sha256_pins,
    platform_directory,
)

I386, ALPHA = 0x014C, 0x0184
SIZES = {
    "x86": {"Ims.inf": 33535, "Imsinsc.dll": 515856, "Ins.inf": 36868},
    "alpha": {"Ims.inf": 33628, "Imsinsc.dll": 615696, "Ins.inf": 37049},
}
MACHINES = {"x86": I386, "alpha": ALPHA}


@pytest.fixture(scope="module")
def q197303():
    return load_builtin_manifest("Q197303")


def pe_image(machine: int, size: int, tag: bytes = b"") -> bytes:
    data = bytearray(size)
    data[0:2] = b"MZ"
    struct.pack_into("<I", data, 0x3C, 0x80)
    data[0x80:0x84] = b"PE\0\0"
    struct.pack_into("<H", data, 0x84, machine)
    data[0x100 : 0x100 + len(tag)] = tag
    return bytes(data)


def inf_text(size: int, tag: str = "") -> bytes:
    head = f"; synthetic test INF {tag}\r\n[Version]\r\n".encode("ascii")
    return head + b";" * (size - len(head))


def write_fix(directory, platform, *, sizes=None, machine=None, names=None):
    """The three Q197303 files of a platform, of the KB's sizes unless told otherwise."""
    directory.mkdir(parents=True, exist_ok=True)
    sizes = {**SIZES[platform], **(sizes or {})}
    for name, size in sizes.items():
        data = pe_image(machine or MACHINES[platform], size) if name.endswith(".dll") else inf_text(size, platform)
        path = directory / (names or {}).get(name, name)
        path.write_bytes(data)
        os.utime(path, (913_000_000, 913_000_000))
    return directory


def sha256_of(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_kb_sizes_accept_the_files(tmp_path, q197303):
    directory = write_fix(tmp_path, "x86")
    checked, warnings = check_fix_files(q197303, "x86", directory, {})
    assert [(fix.spec.name, fix.accepted_by, fix.size) for fix in checked] == [
        ("Ims.inf", "kb_size", 33535),
        ("Imsinsc.dll", "kb_size", 515856),
        ("Ins.inf", "kb_size", 36868),
    ]
    assert checked[1].local.machine == I386 and checked[1].local.mtime == 913_000_000
    assert checked[0].sha256 == sha256_of(directory / "Ims.inf")
    assert warnings == []


def test_names_match_case_insensitively_and_other_files_are_ignored_with_a_warning(tmp_path, q197303):
    directory = write_fix(tmp_path, "alpha", names={"Ims.inf": "IMS.INF"})
    (directory / "readme.txt").write_text("notes")
    checked, warnings = check_fix_files(q197303, "alpha", directory, {})
    assert checked[0].local.path.name == "IMS.INF"
    assert warnings == [f"fix_files: ignored readme.txt in {directory} (Q197303 does not list them for alpha)"]


@pytest.mark.parametrize(("folder", "platform"), [("x86", "x86"), ("I386", "x86"), ("Alpha", "alpha")])
def test_platform_folders_are_picked(tmp_path, folder, platform):
    (tmp_path / folder).mkdir()
    (tmp_path / "other").mkdir()
    assert platform_directory(tmp_path, platform) == tmp_path / folder


def test_a_flat_directory_serves_any_platform(tmp_path):
    (tmp_path / "docs").mkdir()
    assert platform_directory(tmp_path, "alpha") == tmp_path


def test_platform_folders_without_the_hosts_platform_are_an_error(tmp_path):
    (tmp_path / "alpha").mkdir()
    with pytest.raises(IisHotfixError, match="has folders for alpha but none for x86 \\(x86 or i386\\)"):
        platform_directory(tmp_path, "x86")


def test_fix_files_must_be_a_directory(tmp_path):
    with pytest.raises(IisHotfixError, match=r"fix_files .*absent is not a directory on the controller"):
        platform_directory(tmp_path / "absent", "x86")


def test_an_alpha_binary_offered_for_x86_is_refused_naming_its_machine(tmp_path, q197303):
    directory = write_fix(tmp_path, "x86", machine=ALPHA)
    with pytest.raises(FixFileError) as raised:
        check_fix_files(q197303, "x86", directory, {})
    assert raised.value.problems == [
        "Imsinsc.dll is a PE image for alpha (0x0184), but platform x86 needs i386 (0x014c)"
    ]
    assert raised.value.message.startswith("fix files refused, nothing was changed: Imsinsc.dll is a PE image")


def test_the_whole_alpha_fix_offered_for_x86_is_refused_file_by_file(tmp_path, q197303):
    directory = write_fix(tmp_path, "alpha")
    with pytest.raises(FixFileError) as raised:
        check_fix_files(q197303, "x86", directory, {})
    assert raised.value.problems == [
        "Ims.inf is 33,628 bytes, but Q197303 lists 33,535 bytes for x86: that is the size of the alpha file, "
        "the wrong platform",
        "Imsinsc.dll is a PE image for alpha (0x0184), but platform x86 needs i386 (0x014c)",
        "Imsinsc.dll is 615,696 bytes, but Q197303 lists 515,856 bytes for x86: that is the size of the alpha "
        "file, the wrong platform",
        "Ins.inf is 37,049 bytes, but Q197303 lists 36,868 bytes for x86: that is the size of the alpha file, "
        "the wrong platform",
    ]


def test_a_file_of_another_size_is_not_taken_for_a_later_build(tmp_path, q197303):
    directory = write_fix(tmp_path, "x86", sizes={"Ins.inf": 37000})
    with pytest.raises(FixFileError) as raised:
        check_fix_files(q197303, "x86", directory, {})
    digest = sha256_of(directory / "Ins.inf")
    assert raised.value.problems == [
        f"Ins.inf is 37,000 bytes, but Q197303 lists 36,868 bytes for x86; a later build is accepted only with "
        f"its sha256 pinned (sha256: {{Ins.inf: {digest}}}) after you have checked where it comes from"
    ]


def test_a_pinned_later_build_is_accepted_whatever_its_size(tmp_path, q197303):
    directory = write_fix(tmp_path, "x86", sizes={"Imsinsc.dll": 520_000})
    pin = sha256_of(directory / "Imsinsc.dll").upper()
    pins = parse_sha256_pins({"Imsinsc.dll": pin}, q197303).for_platform("x86")
    checked, _warnings = check_fix_files(q197303, "x86", directory, pins)
    assert [fix.accepted_by for fix in checked] == ["kb_size", "sha256_pin", "kb_size"]


def test_a_pin_does_not_excuse_the_wrong_machine(tmp_path, q197303):
    directory = write_fix(tmp_path, "x86", machine=ALPHA)
    pins = parse_sha256_pins({"Imsinsc.dll": sha256_of(directory / "Imsinsc.dll")}, q197303).for_platform("x86")
    with pytest.raises(FixFileError, match=r"Imsinsc\.dll is a PE image for alpha"):
        check_fix_files(q197303, "x86", directory, pins)


def test_a_pin_that_does_not_match_refuses_even_a_file_of_the_kb_size(tmp_path, q197303):
    directory = write_fix(tmp_path, "x86")
    pins = parse_sha256_pins({"Ims.inf": "0" * 64}, q197303).for_platform("x86")
    with pytest.raises(FixFileError) as raised:
        check_fix_files(q197303, "x86", directory, pins)
    assert raised.value.problems == [
        f"Ims.inf: its sha256 {sha256_of(directory / 'Ims.inf')} does not match the pin {'0' * 64}"
    ]


def test_platform_qualified_pins_apply_to_their_platform_only(q197303):
    pins = {"Ims.inf": "a" * 64, "alpha/Ims.inf": "b" * 64, "x86\\Ins.inf": "c" * 64}
    assert parse_sha256_pins(pins, q197303).for_platform("alpha") == {"ims.inf": "b" * 64}
    assert parse_sha256_pins(pins, q197303).for_platform("x86") == {"ims.inf": "a" * 64, "ins.inf": "c" * 64}


@pytest.mark.parametrize(
    ("pins", "problem"),
    [
        ({"Imsinsc.dl": "a" * 64}, "sha256 pin Imsinsc.dl: Q197303 has no file Imsinsc.dl"),
        ({"mips/Ims.inf": "a" * 64}, "sha256 pin mips/Ims.inf: Q197303 has no platform mips"),
        ({"Ims.inf": "sha256:abc"}, "sha256 pin Ims.inf: must be 64 hexadecimal digits, got 'sha256:abc'"),
    ],
)
def test_pins_that_name_nothing_are_refused(q197303, pins, problem):
    with pytest.raises(IisHotfixError) as raised:
        parse_sha256_pins(pins, q197303)
    assert raised.value.message == problem


def test_a_manifest_sha256_pins_the_exact_build(tmp_path):
    directory = write_fix(tmp_path, "x86")
    entry = {"name": "Ims.inf", "kind": "inf", "size": 33535, "date": "1998-11-25 20:05"}
    document = {"manifest_version": 1, "kb": "Q1234567", "title": "t", "applies_to": {"product": "p"},
                "platforms": {"x86": [dict(entry, sha256=sha256_of(directory / "Ims.inf"))]}}
    checked, _warnings = check_fix_files(parse_manifest(document, source="t"), "x86", directory, {})
    assert checked[0].accepted_by == "manifest_sha256"
    document["platforms"]["x86"] = [dict(entry, sha256="1" * 64)]
    with pytest.raises(FixFileError, match=r"its sha256 .* is not the one the manifest of Q1234567 gives"):
        check_fix_files(parse_manifest(document, source="t"), "x86", directory, {})


def test_content_that_contradicts_the_kind_is_refused(tmp_path, q197303):
    directory = write_fix(tmp_path, "x86")
    (directory / "Imsinsc.dll").write_bytes(inf_text(515856))
    (directory / "Ims.inf").write_bytes(pe_image(I386, 33535))
    with pytest.raises(FixFileError) as raised:
        check_fix_files(q197303, "x86", directory, {})
    assert raised.value.problems == [
        "Ims.inf is a PE image (i386 (0x014c)), not a setup INF",
        "Imsinsc.dll is not a PE image (it does not start with the MZ header), but x86 needs a binary",
    ]


def test_missing_and_ambiguous_files_are_reported_together(tmp_path, q197303):
    directory = write_fix(tmp_path, "x86")
    (directory / "Ims.inf").unlink()
    (directory / "INS.INF").write_bytes(inf_text(36868))
    with pytest.raises(FixFileError) as raised:
        check_fix_files(q197303, "x86", directory, {})
    assert raised.value.problems == [
        f"Ims.inf is missing from {directory}",
        f"Ins.inf is ambiguous in {directory}: INS.INF, Ins.inf",
    ]
