"""Hotfix manifests: the built-in ones, a third KB of the same shape, and every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest
import yaml

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.hotfix_manifest import (
    ManifestError,
    builtin_manifest_ids,
    load_builtin_manifest,
    load_manifest_file,
    parse_manifest,
)

# The KB Q197303 file table, written out here from the article (name -> size, date).
Q197303_TABLE = {
    "x86": {
        "Ims.inf": (33535, "1998-11-25 20:05"),
        "Imsinsc.dll": (515856, "1998-12-02 11:29"),
        "Ins.inf": (36868, "1998-11-25 20:04"),
    },
    "alpha": {
        "Ims.inf": (33628, "1998-12-03 21:59"),
        "Imsinsc.dll": (615696, "1998-12-02 11:22"),
        "Ins.inf": (37049, "1998-12-03 22:00"),
    },
}

# KB Q196021 has the same shape but puts its files in platform folders of the extracted service pack.
Q196021_YAML = textwrap.dedent(
    r"""
    manifest_version: 1
    kb: Q196021
    title: Windows NT 4.0 SP4 does not update MTS installed outside its default folder
    applies_to:
      product: Windows NT 4.0 SP4
      os: [Windows NT 4.0]
    platforms:
      x86:
        - {name: Update.exe, dest: I386\Update, kind: pe, size: 139024, date: "1998-11-10 11:29"}
        - {name: Update.inf, dest: I386/Update/, kind: inf, size: 143434, date: 1998-11-10T08:21}
      Alpha:
        - {name: Update.exe, dest: Alpha\Update, kind: pe, size: 205072, date: "1998-11-10 11:29"}
        - {name: Update.inf, dest: Alpha\Update, kind: inf, size: 137618, date: "1998-11-10 11:31"}
    """
)


def good_document(**changes):
    document = {
        "manifest_version": 1,
        "kb": "Q197303",
        "title": "a fix",
        "applies_to": {"product": "Internet Information Server", "iis_major": [4]},
        "platforms": {"x86": [{"name": "Ims.inf", "kind": "inf", "size": 33535, "date": "1998-11-25 20:05"}]},
    }
    document.update(changes)
    return document


def with_file(**fields):
    entry = {"name": "Imsinsc.dll", "kind": "pe", "size": 515856, "date": "1998-12-02 11:29"}
    entry.update(fields)
    return good_document(platforms={"x86": [{k: v for k, v in entry.items() if v is not ...}]})


def problems_of(document):
    with pytest.raises(ManifestError) as raised:
        parse_manifest(document, source="test.yml")
    assert raised.value.message.startswith("manifest test.yml is invalid: ")
    return raised.value.problems


def test_builtin_manifests_are_q197303_and_q254590():
    assert builtin_manifest_ids() == ("Q197303", "Q254590")


@pytest.mark.parametrize("kb", ["Q197303", "Q254590"])
def test_builtin_manifests_carry_the_kb_table(kb):
    manifest = load_builtin_manifest(kb)
    assert manifest.kb == kb and manifest.source == f"built-in {kb}"
    assert manifest.platform_names == ("x86", "alpha")
    for platform, table in Q197303_TABLE.items():
        files = manifest.files_for(platform)
        assert {spec.name: (spec.size, spec.date) for spec in files} == table
        assert all(spec.dest == "" and spec.relative_path == spec.name for spec in files)
        assert all(spec.sha256 is None for spec in files), "Microsoft's hashes are not known: nothing is pinned"
        kinds = {spec.name: (spec.kind, spec.machine) for spec in files}
        machine = {"x86": 0x014C, "alpha": 0x0184}[platform]
        assert kinds == {"Ims.inf": ("inf", None), "Imsinsc.dll": ("pe", machine), "Ins.inf": ("inf", None)}
    assert manifest.applies_to["iis_major"] == [4]


def test_q254590_adds_the_helper_version():
    versions = {spec.name: spec.version for spec in load_builtin_manifest("Q254590").files_for("alpha")}
    assert versions == {"Ims.inf": None, "Imsinsc.dll": "5.5.1877.24", "Ins.inf": None}


def test_builtin_ids_match_case_insensitively_and_unknown_ones_are_listed():
    assert load_builtin_manifest("q197303").kb == "Q197303"
    with pytest.raises(IisHotfixError, match="no built-in manifest for Q999999; built-in: Q197303, Q254590"):
        load_builtin_manifest("Q999999")


def test_a_kb_with_platform_folders_fits_the_schema(tmp_path):
    path = tmp_path / "Q196021.yml"
    path.write_text(Q196021_YAML, encoding="utf-8")
    manifest = load_manifest_file(path)
    assert manifest.source == str(path)
    assert manifest.applies_to == {"product": "Windows NT 4.0 SP4", "os": ["Windows NT 4.0"]}
    x86 = {spec.name: spec for spec in manifest.files_for("x86")}
    assert x86["Update.exe"].relative_path == "I386\\Update\\Update.exe"
    assert x86["Update.inf"].relative_path == "I386\\Update\\Update.inf"
    assert x86["Update.inf"].date == "1998-11-10 08:21"
    alpha = {spec.name: spec for spec in manifest.files_for("alpha")}
    assert (alpha["Update.exe"].relative_path, alpha["Update.exe"].machine) == ("Alpha\\Update\\Update.exe", 0x0184)
    assert manifest.files_for("amd64") == ()


def test_json_manifests_and_optional_fields(tmp_path):
    pin = "AB" * 32
    document = with_file(version="5.5.1877.24", sha256=pin, machine="i386")
    document["platforms"]["amd64"] = [
        {"name": "Imsinsc.dll", "kind": "pe", "machine": "I386", "size": 1, "date": "2001-01-01 00:00"},
        {"name": "readme.txt", "dest": ".", "kind": "other", "size": 5, "date": "2001-01-01 00:00"},
    ]
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    manifest = load_manifest_file(path)
    (helper,) = manifest.files_for("x86")
    assert (helper.version, helper.sha256, helper.machine) == ("5.5.1877.24", pin.lower(), 0x014C)
    # A 64-bit platform may ship a 32-bit setup helper: the entry says so.
    assert [(spec.machine, spec.dest) for spec in manifest.files_for("amd64")] == [(0x014C, ""), (None, "")]


def test_unreadable_files(tmp_path):
    with pytest.raises(ManifestError, match=r"manifest .*absent\.yml is invalid: cannot be read: .*No such file"):
        load_manifest_file(tmp_path / "absent.yml")
    with pytest.raises(ManifestError, match="cannot be read"):
        load_manifest_file(tmp_path)
    binary = tmp_path / "binary.yml"
    binary.write_bytes(b"\xff\xfe\x00k\x00b")
    with pytest.raises(ManifestError, match="cannot be read"):
        load_manifest_file(binary)


def test_syntax_errors_say_which_language(tmp_path):
    broken_yaml = tmp_path / "broken.yml"
    broken_yaml.write_text("kb: [Q197303\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="is not valid YAML: "):
        load_manifest_file(broken_yaml)
    broken_json = tmp_path / "broken.json"
    broken_json.write_text('{"kb": ', encoding="utf-8")
    with pytest.raises(ManifestError, match="is not valid JSON: "):
        load_manifest_file(broken_json)


@pytest.mark.parametrize("document", [None, [], "Q197303", 3])
def test_the_document_must_be_a_mapping(document):
    assert problems_of(document)[0].startswith("the document must be a mapping")


@pytest.mark.parametrize("field", ["manifest_version", "kb", "title", "applies_to", "platforms"])
def test_missing_top_level_fields(field):
    document = good_document()
    del document[field]
    assert problems_of(document) == [f"{field}: missing required field"]


@pytest.mark.parametrize("field", ["name", "kind", "size", "date"])
def test_missing_file_fields(field):
    assert problems_of(with_file(**{field: ...})) == [f"platforms.x86[0].{field}: missing required field"]


@pytest.mark.parametrize(
    ("size", "problem"),
    [
        ("515,856", "write the number of bytes without separators (515856), not '515,856'"),
        ("515 856", "write the number of bytes without separators (515856), not '515 856'"),
        (0, "must be a positive whole number of bytes, got 0"),
        (-5, "must be a positive whole number of bytes, got -5"),
        (515.856, "must be a positive whole number of bytes, got 515.856"),
        (True, "must be a positive whole number of bytes, got True"),
        ("big", "must be a positive whole number of bytes, got 'big'"),
    ],
)
def test_bad_sizes(size, problem):
    assert problems_of(with_file(size=size)) == [f"platforms.x86[0].size: {problem}"]


def test_unknown_platforms():
    document = good_document()
    document["platforms"]["mips"] = document["platforms"]["x86"]
    assert problems_of(document) == ["platforms.mips: unknown platform (known: x86, alpha, amd64, ia64)"]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"kind": "dll"}, "platforms.x86[0].kind: must be one of inf, pe, other, got 'dll'"),
        ({"name": "..\\evil.dll"}, "platforms.x86[0].name: must be a plain Windows file name, got '..\\\\evil.dll'"),
        ({"name": "a:b.dll"}, "platforms.x86[0].name: must be a plain Windows file name, got 'a:b.dll'"),
        ({"dest": "..\\system32"}, "platforms.x86[0].dest: must be a folder relative to the installation point"),
        ({"dest": "C:\\WINNT"}, "platforms.x86[0].dest: must be a folder relative to the installation point"),
        ({"dest": "\\I386"}, "platforms.x86[0].dest: must be a folder relative to the installation point"),
        ({"dest": 7}, "platforms.x86[0].dest: must be a relative folder path, got 7"),
        ({"date": "12/02/98 11:29a"}, "platforms.x86[0].date: must be a quoted date and time 'YYYY-MM-DD HH:MM'"),
        ({"date": 1205}, "platforms.x86[0].date: must be a quoted date and time"),
        ({"version": 5.5}, "platforms.x86[0].version: must be a quoted dotted version such as '5.5.1877.24'"),
        ({"sha256": "abc"}, "platforms.x86[0].sha256: must be 64 hexadecimal digits, got 'abc'"),
        ({"machine": "vax"}, "platforms.x86[0].machine: must be one of alpha, alpha64, amd64"),
        ({"kind": "inf", "machine": "i386"}, "platforms.x86[0].machine: only pe files have a machine type"),
        ({"sise": 3}, "platforms.x86[0].sise: unknown field (known: date, dest, kind, machine, name, sha256"),
    ],
)
def test_bad_file_fields(fields, problem):
    (found,) = problems_of(with_file(**fields))
    assert found.startswith(problem)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"manifest_version": 2}, "manifest_version: this collection reads version 1, not 2"),
        ({"manifest_version": "1"}, "manifest_version: this collection reads version 1, not '1'"),
        ({"kb": "197303"}, "kb: must be a KB article id such as Q197303 or KB2919355, got '197303'"),
        ({"title": " "}, "title: must be a non-empty string"),
        ({"applies_to": ["IIS"]}, "applies_to: must be a mapping, not list"),
        ({"applies_to": {"iis_major": [4]}}, "applies_to.product: missing or not a non-empty string"),
        ({"applies_to": {"product": "IIS", "iis_major": ["4"]}}, "applies_to.iis_major: must be a list of int"),
        ({"applies_to": {"product": "IIS", "colour": "blue"}}, "applies_to.colour: unknown field"),
        ({"platforms": {}}, "platforms: must be a mapping of platform name to its list of files"),
        ({"platforms": {"x86": []}}, "platforms.x86: must be a non-empty list of files"),
        ({"platforms": {"x86": ["Ims.inf"]}}, "platforms.x86[0]: must be a mapping with name, kind, size and date"),
        ({"extra": 1}, "extra: unknown field (known: applies_to, kb, manifest_version, platforms, title)"),
    ],
)
def test_bad_top_level_fields(changes, problem):
    (found,) = problems_of(good_document(**changes))
    assert found.startswith(problem)


def test_a_platform_spelled_twice_and_a_file_listed_twice():
    entry = {"name": "Ims.inf", "kind": "inf", "size": 1, "date": "1998-11-25 20:05"}
    document = good_document(platforms={"x86": [entry], "X86": [entry], "alpha": [entry, dict(entry, name="IMS.INF")]})
    assert problems_of(document) == [
        "platforms.X86: platform x86 is listed twice",
        "platforms.alpha[1]: IMS.INF is listed twice",
    ]


def test_every_problem_is_reported_at_once():
    document = good_document(kb="x", title="")
    document["platforms"]["x86"][0]["size"] = "33,535"
    document["platforms"]["sparc"] = []
    problems = problems_of(document)
    where = [problem.split(":")[0] for problem in problems]
    assert where == ["kb", "title", "platforms.x86[0].size", "platforms.sparc"]


def test_the_galaxy_artifact_ships_the_builtin_manifests_and_their_schema(tmp_path):
    repo = Path(__file__).resolve().parents[3]
    galaxy = Path(sys.executable).parent / "ansible-galaxy"
    subprocess.run([str(galaxy), "collection", "build", "--output-path", str(tmp_path), str(repo)],
                   check=True, capture_output=True)
    (built,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(built) as artifact:
        assert "docs/manifests.md" in artifact.getnames()
        for kb in builtin_manifest_ids():
            member = artifact.extractfile(f"plugins/plugin_utils/manifests/{kb}.yml")
            shipped = parse_manifest(yaml.safe_load(member.read()), source=f"built-in {kb}")
            assert shipped == load_builtin_manifest(kb)
