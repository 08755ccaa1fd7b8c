"""What a Galaxy user gets: build the collection artifact from galaxy.yml and look inside it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
# Local state that is never part of a checkout; the sandbox recreates what it needs of it.
LOCAL_STATE = {".git", ".venv", ".ansible", "__pycache__", ".pytest_cache", ".ruff_cache"}

# Development-only directories and files; the sandbox creates any the checkout does not have yet,
# so the build is proven to drop each of them.
DEVELOPMENT_ONLY_DIRS = [
    ".venv",
    ".ansible",
    ".ci",
    "winsim",
    "extensions/molecule",
    "tools",
    "tests/unit",
    "tests/integration",
    "tests/winsim",
    "tests/output",
    "demo-run",
]
DEVELOPMENT_ONLY_FILES = [
    "Makefile",
    "pyproject.toml",
    "requirements-dev.txt",
    "ansible.cfg",
    "tests/sanity/run_sanity.py",
    "winops-iis_hotfix-0.0.1.tar.gz",
]
# Everything the artifact may hold at its top level; anything new must be a deliberate choice.
SHIPPABLE_TOP_LEVEL = {
    "MANIFEST.json",
    "FILES.json",
    "README.md",
    "COPYING",
    "CHANGELOG.rst",
    "requirements.txt",
    "bindep.txt",
    "meta",
    "plugins",
    "roles",
    "playbooks",
    "docs",
    "changelogs",
    "extensions",
    "tests",
}
# Files users need, added when absent, to prove build_ignore keeps them.
USER_FACING_SAMPLES = ["tests/sanity/ignore-2.19.txt", "docs/user-guide.md"]


def ignore_local_state(directory: str, names: list[str]) -> set[str]:
    relative = Path(directory).relative_to(REPO_ROOT)
    return {name for name in names if name in LOCAL_STATE or (relative / name).as_posix() == "tests/output"}


def ensure_sample(path: Path) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("sample\n", encoding="utf-8")


@pytest.fixture(scope="module")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tarfile.TarFile]:
    """Build from a copy of the checkout that holds every kind of development-only path."""
    source = tmp_path_factory.mktemp("source") / "iis_hotfix"
    shutil.copytree(REPO_ROOT, source, ignore=ignore_local_state, symlinks=True)
    for directory in DEVELOPMENT_ONLY_DIRS:
        ensure_sample(source / directory / "sample.txt")
    for relative in DEVELOPMENT_ONLY_FILES + USER_FACING_SAMPLES:
        ensure_sample(source / relative)
    output = tmp_path_factory.mktemp("dist")
    beside_python = Path(sys.executable).parent / "ansible-galaxy"
    galaxy = str(beside_python) if beside_python.exists() else "ansible-galaxy"
    subprocess.run(
        [galaxy, "collection", "build", "--output-path", str(output), str(source)], check=True, capture_output=True
    )
    (built,) = output.glob("*.tar.gz")
    with tarfile.open(built) as archive:
        yield archive


@pytest.fixture(scope="module")
def members(artifact: tarfile.TarFile) -> set[str]:
    return set(artifact.getnames())


def test_artifact_identifies_the_collection(artifact: tarfile.TarFile) -> None:
    info = json.load(artifact.extractfile("MANIFEST.json"))["collection_info"]
    galaxy = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))
    assert (info["namespace"], info["name"]) == ("winops", "iis_hotfix")
    assert info["version"] == galaxy["version"]
    assert info["license"] == ["GPL-3.0-or-later"]
    assert info["dependencies"] == {}
    assert info["readme"] == "README.md"


@pytest.mark.parametrize(
    "shipped",
    [
        "plugins",
        "meta/runtime.yml",
        "README.md",
        "COPYING",
        "changelogs/changelog.yaml",
        "requirements.txt",
        *USER_FACING_SAMPLES,
    ],
)
def test_artifact_ships_what_users_need(members: set[str], shipped: str) -> None:
    assert shipped in members


@pytest.mark.parametrize("directory", DEVELOPMENT_ONLY_DIRS)
def test_artifact_leaves_out_development_directories(members: set[str], directory: str) -> None:
    leaked = sorted(m for m in members if m == directory or m.startswith(f"{directory}/"))
    assert not leaked


@pytest.mark.parametrize("file", DEVELOPMENT_ONLY_FILES)
def test_artifact_leaves_out_development_files(members: set[str], file: str) -> None:
    assert file not in members


def test_artifact_holds_nothing_unexpected_at_top_level(members: set[str]) -> None:
    unexpected = sorted({m.split("/")[0] for m in members} - SHIPPABLE_TOP_LEVEL)
    assert not unexpected, f"add these to build_ignore in galaxy.yml or to SHIPPABLE_TOP_LEVEL: {unexpected}"


def test_artifact_ships_only_sanity_ignore_files_from_tests(members: set[str]) -> None:
    """ansible-test reads tests/sanity/ignore-*.txt from an installed collection; the rest is ours."""
    under_tests = {m for m in members if m.startswith("tests/")}
    leaked = sorted(m for m in under_tests if not fnmatch(m, "tests/sanity/ignore-*.txt") and m != "tests/sanity")
    assert not leaked, f"add these to build_ignore in galaxy.yml: {leaked}"


def test_runtime_metadata_requires_supported_ansible(artifact: tarfile.TarFile) -> None:
    runtime = yaml.safe_load(artifact.extractfile("meta/runtime.yml"))
    assert runtime["requires_ansible"] == ">=2.16.0"


def test_license_is_the_full_gplv3_text(artifact: tarfile.TarFile) -> None:
    text = artifact.extractfile("COPYING").read().decode("utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in text
    assert "Version 3, 29 June 2007" in text
    assert "END OF TERMS AND CONDITIONS" in text
