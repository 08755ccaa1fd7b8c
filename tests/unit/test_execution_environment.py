"""Execution environments: `ansible-builder create` turns docs/awx/execution-environment.yml into a build context
with the collection's requirements, and an execution environment that installs the collection picks up its
dependencies from meta/execution-environment.yml (checked with ansible-builder's own introspection)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

REPO_ROOT = Path(__file__).resolve().parents[2]
AWX_DEFINITION = REPO_ROOT / "docs" / "awx" / "execution-environment.yml"


def tool(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    assert path.exists(), f"{name} is missing from {path.parent}: install requirements-dev.txt (make venv)"
    return str(path)


def requirement_lines(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # No container runtime is needed: `create` and `introspect` only write and read files.
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed


@pytest.fixture(scope="module")
def build_context(tmp_path_factory: pytest.TempPathFactory) -> Path:
    context = tmp_path_factory.mktemp("ee") / "context"
    run(
        tool("ansible-builder"),
        "create",
        "--file",
        str(AWX_DEFINITION),
        "--context",
        str(context),
        "--output-filename",
        "Containerfile",
        cwd=context.parent,
    )
    return context


def test_the_definition_is_ansible_builder_v3_without_galaxy_dependencies():
    definition = yaml.safe_load(AWX_DEFINITION.read_text(encoding="utf-8"))
    assert definition["version"] == 3
    assert "galaxy" not in definition["dependencies"]


def test_the_containerfile_installs_a_supported_ansible_core_and_runner(build_context):
    containerfile = (build_context / "Containerfile").read_text(encoding="utf-8")
    definition = yaml.safe_load(AWX_DEFINITION.read_text(encoding="utf-8"))
    assert f'ARG EE_BASE_IMAGE="{definition["images"]["base_image"]["name"]}"' in containerfile
    install_refs = next(line for line in containerfile.splitlines() if line.startswith("ARG ANSIBLE_INSTALL_REFS="))
    refs = {Requirement(ref).name: Requirement(ref) for ref in install_refs.split("=", 1)[1].strip('"').split()}
    assert set(refs) == {"ansible-core", "ansible-runner"}
    # The oldest ansible-core the collection declares must be installable, and nothing older.
    runtime = yaml.safe_load((REPO_ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    oldest = runtime["requires_ansible"].removeprefix(">=")
    assert refs["ansible-core"].specifier.contains(oldest)
    assert not refs["ansible-core"].specifier.contains("2.15.13")
    assert 'ARG PYCMD="/usr/bin/python3.11"' in containerfile
    assert "ansible-galaxy" not in containerfile  # no galaxy stage: the project brings the collection


def test_the_build_context_carries_the_collection_requirements(build_context):
    containerfile = (build_context / "Containerfile").read_text(encoding="utf-8")
    assert "COPY _build/requirements.txt requirements.txt" in containerfile
    assert "introspect --user-pip=requirements.txt" in containerfile
    assert requirement_lines(build_context / "_build" / "requirements.txt") == requirement_lines(
        REPO_ROOT / "requirements.txt"
    )
    # No system packages are needed, so no bindep stage input is generated.
    assert not (build_context / "_build" / "bindep.txt").exists()


def test_an_ee_that_installs_the_collection_gets_its_requirements(tmp_path):
    dist = tmp_path / "dist"
    run(tool("ansible-galaxy"), "collection", "build", "--output-path", str(dist), str(REPO_ROOT), cwd=tmp_path)
    (artifact,) = dist.glob("*.tar.gz")
    installed = tmp_path / "collections" / "ansible_collections" / "winops" / "iis_hotfix"
    installed.mkdir(parents=True)
    with tarfile.open(artifact) as archive:
        archive.extractall(installed, filter="data")
    assert (installed / "meta" / "execution-environment.yml").is_file()

    completed = run(tool("ansible-builder"), "introspect", str(tmp_path / "collections"), cwd=tmp_path)
    found = yaml.safe_load(completed.stdout.split("---", 1)[1])
    python = found["python"]
    assert [line for line in python if "# from collection winops.iis_hotfix" in line] == [
        f"{line}  # from collection winops.iis_hotfix" for line in requirement_lines(REPO_ROOT / "requirements.txt")
    ]
    assert not found["system"]
