"""Every ansible-core the collection declares runs the same end-to-end smoke, on the built Galaxy artifact.

For each minor version: its own virtualenv (ansible-core X.Y.* and requirements.txt, cached under
.venv-compat/ by version), the artifact from `ansible-galaxy collection build` installed with that
version's `ansible-galaxy collection install`, and a simulated fleet (one affected host, one healthy, one
without IIS). Then, as an administrator would: audit in check mode, remediate, remediate again (nothing
changes), audit again, each fleet report read back. ansible-core 2.20 and later need Python 3.12 and are not
run here (see README: tested range).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ["2.16", "2.17", "2.18", "2.19"]
CACHE = ROOT / ".venv-compat"


def _run(argv: list[str], *, env: dict[str, str] | None = None, cwd: Path = ROOT,
         timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, text=True, capture_output=True, timeout=timeout)


def _venv(version: str) -> Path:
    """A virtualenv with ansible-core `version`.* (built once, reused while requirements.txt is unchanged)."""
    venv = CACHE / f"ansible-core-{version}"
    stamp = venv / ".installed"
    wanted = f"{version}\n{(ROOT / 'requirements.txt').read_text(encoding='utf-8')}"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    for argv in ([sys.executable, "-m", "venv", venv],
                 [venv / "bin" / "python", "-m", "pip", "install", "--quiet", f"ansible-core=={version}.*",
                  "-r", ROOT / "requirements.txt"]):
        process = _run(argv)
        assert process.returncode == 0, f"{argv}:\n{process.stdout}\n{process.stderr}"
    stamp.write_text(wanted, encoding="utf-8")
    return venv


@pytest.fixture(scope="module")
def artifact(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("artifact")
    process = _run([Path(sys.executable).parent / "ansible-galaxy", "collection", "build", "--output-path", out])
    assert process.returncode == 0, process.stdout + process.stderr
    return next(out.glob("winops-iis_hotfix-*.tar.gz"))


def _outcomes(report: Path) -> dict[str, str]:
    document = json.loads((report / "report.json").read_text(encoding="utf-8"))
    return {host["name"]: host["kb"]["Q197303"]["outcome"] for host in document["hosts"]}


def _changed(stdout: str) -> dict[str, int]:
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)", stdout, re.M)}


@pytest.mark.parametrize("version", VERSIONS)
def test_end_to_end_smoke_on_the_built_artifact(version, artifact, tmp_path):
    venv = _venv(version)
    bin_dir = venv / "bin"
    assert _run([bin_dir / "ansible", "--version"]).stdout.startswith(f"ansible [core {version}.")
    collections = tmp_path / "collections"
    project = tmp_path / "project"  # where the administrator runs ansible-playbook: no ansible.cfg of ours
    project.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(ANSIBLE_COLLECTIONS_PATH=str(collections), ANSIBLE_NOCOLOR="1", ANSIBLE_HOST_KEY_CHECKING="0",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "local"), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")
    process = _run([bin_dir / "ansible-galaxy", "collection", "install", "--offline", "-p", collections, artifact],
                   env=env, cwd=project)
    assert process.returncode == 0, process.stdout + process.stderr
    assert (collections / "ansible_collections" / "winops" / "iis_hotfix" / "MANIFEST.json").is_file()

    fleet = tmp_path / "fleet"
    media = tmp_path / "files"
    python = sys.executable  # winsim runs from the development virtualenv: it is not part of the artifact
    assert _run([python, "-m", "winsim", "media", "--out", media]).returncode == 0
    started = _run([python, "-m", "winsim", "start", "--workdir", fleet,
                    "--hosts", "iis4-kb:1,iis4-default:1,no-iis:1"])
    assert started.returncode == 0, started.stdout + started.stderr

    def playbook(name: str, report: str, *extra: str) -> subprocess.CompletedProcess[str]:
        return _run([bin_dir / "ansible-playbook", "-i", fleet / "inventory.yml", f"winops.iis_hotfix.{name}",
                     "-e", f"iis_hotfix_report_dir={tmp_path / report}", *extra], env=env, cwd=project)

    files = ["-e", f"iis_hotfix_media={media / 'media'}", "-e", f"iis_hotfix_fix_files={media / 'fix'}"]
    try:
        audit = playbook("audit", "audit-before", "--check")
        assert audit.returncode == 0, audit.stdout[-4000:] + audit.stderr[-2000:]
        assert _outcomes(tmp_path / "audit-before") == {
            "iis4-kb-1": "affected", "iis4-default-1": "not_affected", "no-iis-1": "not_applicable"}

        check = playbook("remediate", "remediate-check", "--check", *files)
        assert check.returncode == 0, check.stdout[-4000:] + check.stderr[-2000:]

        first = playbook("remediate", "remediate", *files)
        assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-2000:]
        assert _changed(first.stdout)["iis4-kb-1"] > 0

        second = playbook("remediate", "remediate-again", *files)
        assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-2000:]
        assert _changed(second.stdout) == {"iis4-kb-1": 0, "iis4-default-1": 0, "no-iis-1": 0, "localhost": 0}

        after = playbook("audit", "audit-after")
        assert after.returncode == 0, after.stdout[-4000:] + after.stderr[-2000:]
        assert _outcomes(tmp_path / "audit-after")["iis4-kb-1"] == "fixed"
    finally:
        _run([python, "-m", "winsim", "stop", "--workdir", fleet])
