"""Run `ansible-test sanity` on exactly what Galaxy users get, and lint the changelog fragments.

Steps:
1. `antsibull-changelog lint` on the checkout (fragments are removed from the tree at release time).
2. Build the collection artifact with the repository's galaxy.yml and extract it into a temporary
   ``ansible_collections/<namespace>/<name>`` tree, so nothing that `build_ignore` drops (the
   development virtualenv, winsim, test output) can disturb the sanity tests.
3. Make ansible-test's pip bootstrap work without Ansible's CI file host (unreachable offline and
   behind many corporate proxies): save get_pip_standin.py where ansible-test caches get-pip.py.
4. `ansible-test sanity --venv --python <this interpreter's version>` in the clean tree.

Exit status: 0 when every step passes, otherwise the first failing step's status.
Arguments this script does not know are passed on to ansible-test, e.g. ``--test pep8 -v``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

import yaml
from get_pip_standin import STANDIN_MARKER  # sibling file: this directory is sys.path[0] when run as a script

REPO_ROOT = Path(__file__).resolve().parents[2]
STANDIN_SOURCE = Path(__file__).resolve().with_name("get_pip_standin.py")
# Settings that point Ansible at the checkout; the clean copy must be tested on its own.
CHECKOUT_ONLY_VARIABLES = ("ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_COLLECTIONS_PATHS")
FAILED_TESTS_HEADER = re.compile(r"The \d+ sanity test\(s\) listed below \(out of \d+\) failed")
TEST_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RUNNING_TEST = re.compile(r"""^Running sanity test ["']([^"']+)["']""")
# Warnings that mean some checking did not happen (e.g. pslint needs pwsh); repeated in the summary.
COVERAGE_GAP = re.compile(r"^WARNING: (Required program .*|Skipping .*)$")


def tool(name: str) -> str:
    """Find a console script of the interpreter running this file (the project's .venv), then on PATH."""
    beside_python = Path(sys.executable).parent / name
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(name)
    if not found:
        sys.exit(f"run_sanity: {name} not found next to {sys.executable} or on PATH")
    return found


def tool_environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in CHECKOUT_ONLY_VARIABLES}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", os.defpath)])
    return env


def lint_changelog() -> int:
    print("== antsibull-changelog lint", flush=True)
    return subprocess.run([tool("antsibull-changelog"), "lint"], cwd=REPO_ROOT, check=False).returncode


def build_clean_copy(workdir: Path) -> Path:
    """Build the Galaxy artifact and extract it where ansible-test expects a collection."""
    meta = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))
    dist = workdir / "dist"
    print(f"== ansible-galaxy collection build ({meta['namespace']}.{meta['name']} {meta['version']})", flush=True)
    subprocess.run(
        [tool("ansible-galaxy"), "collection", "build", "--output-path", str(dist), str(REPO_ROOT)],
        check=True,
        env=tool_environment(),
    )
    (artifact,) = dist.glob("*.tar.gz")
    collection = workdir / "ansible_collections" / meta["namespace"] / meta["name"]
    collection.mkdir(parents=True)
    with tarfile.open(artifact) as archive:
        archive.extractall(collection, filter="data")
    # MANIFEST.json stays: it is where ansible-test reads the collection version of an installed collection.
    return collection


def pinned_pip_version(python_version: str) -> str:
    """The pip version ansible-test bootstraps into its virtualenvs, read from ansible-test itself."""
    try:
        from ansible_test._internal.python_requirements import get_venv_packages
    except ImportError as error:
        sys.exit(f"run_sanity: cannot read ansible-test's pinned pip version ({error}); has ansible-test changed?")
    return get_venv_packages(SimpleNamespace(version=python_version))["pip"]


def install_get_pip_standin(pip_version: str) -> Path:
    """Save the stand-in under the name ansible-test looks for, unless a real get-pip.py is cached there."""
    cache_path = Path.home() / ".ansible" / "test" / "cache" / f"get_pip_{pip_version.replace('.', '_')}.py"
    if cache_path.exists() and STANDIN_MARKER not in cache_path.read_text(encoding="utf-8", errors="replace"):
        print(f"== pip {pip_version} bootstrap: using the get-pip.py already cached at {cache_path}", flush=True)
        return cache_path
    standin = STANDIN_SOURCE.read_bytes()
    if not cache_path.exists() or cache_path.read_bytes() != standin:
        # Write beside it and rename, so a concurrent ansible-test never runs a half-written script.
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        partial = cache_path.with_name(f"{cache_path.name}.{os.getpid()}.partial")
        partial.write_bytes(standin)
        partial.replace(cache_path)
    print(f"== pip {pip_version} bootstrap: offline stand-in saved at {cache_path}", flush=True)
    return cache_path


class SanityOutcome(NamedTuple):
    status: int
    ran: list[str]
    failed: list[str]
    gaps: list[str]


def run_ansible_test(collection: Path, python_version: str, extra_args: list[str]) -> SanityOutcome:
    """Stream ansible-test's output and pick out what the summary reports."""
    command = [tool("ansible-test"), "sanity", "--venv", "--python", python_version, "--color", "no", *extra_args]
    print(f"== ansible-test {' '.join(command[1:])}  (in {collection})", flush=True)
    outcome = SanityOutcome(status=0, ran=[], failed=[], gaps=[])
    in_failed_list = False
    with subprocess.Popen(
        command,
        cwd=collection,
        env=tool_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            if match := RUNNING_TEST.match(line):
                outcome.ran.append(match.group(1))
            elif FAILED_TESTS_HEADER.search(line):
                in_failed_list = True
            elif in_failed_list and TEST_NAME.match(line.strip()):
                outcome.failed.append(line.strip())
            else:
                in_failed_list = False
                if (gap := COVERAGE_GAP.match(line.strip())) and gap.group(1) not in outcome.gaps:
                    outcome.gaps.append(gap.group(1))
    return outcome._replace(status=process.returncode)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary clean copy and print its path")
    options, ansible_test_args = parser.parse_known_args()
    python_version = f"{sys.version_info.major}.{sys.version_info.minor}"
    started = time.monotonic()

    changelog_status = lint_changelog()
    workdir = Path(tempfile.mkdtemp(prefix="iis_hotfix-sanity-"))
    try:
        collection = build_clean_copy(workdir)
        pip_version = pinned_pip_version(python_version)
        install_get_pip_standin(pip_version)
        sanity = run_ansible_test(collection, python_version, ansible_test_args)
    finally:
        if options.keep:
            print(f"== clean copy kept at {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    elapsed = time.monotonic() - started
    print("\n== sanity summary")
    print(f"   antsibull-changelog lint: {'passed' if changelog_status == 0 else f'FAILED (exit {changelog_status})'}")
    if sanity.status == 0:
        verdict = "all passed"
    else:
        verdict = f"FAILED (exit {sanity.status}): {', '.join(sanity.failed) or 'see the output above'}"
    print(f"   ansible-test sanity (python {python_version}): {len(sanity.ran)} test(s) run, {verdict}")
    for gap in sanity.gaps:
        print(f"   not fully checked: {gap}")
    print(f"   elapsed: {elapsed:.0f}s")
    return changelog_status or sanity.status


if __name__ == "__main__":
    sys.exit(main())
