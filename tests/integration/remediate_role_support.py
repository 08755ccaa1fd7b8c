"""What the remediate role's integration tests share: media, fleets, what a host holds, the fleet report.

Hosts are read through `winsim state` (the host model as JSON) and the fleet report through the files the
playbooks write, as an administrator would look at them.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from harness import ROOT, AnsibleRun, Fleet

ROLE = "winops.iis_hotfix.remediate"
KB = "Q197303"
# Setup on the simulated hosts takes no modelled time unless a test needs it to.
INSTANT_SETUP = {"WINSIM_SETUP_TIME_SCALE": "0"}
# Every profile of winsim, one host each, and a powered-off KB host.
ALL_PROFILES = ("iis4-default", "iis4-kb", "iis4-kb-alpha", "iis4-kb-smtp-only", "iis5", "iis6", "no-iis")
OFFLINE = "offline"
KB_HOSTS = {"iis4-kb-1": ("x86", ["smtp", "nntp"]), "iis4-kb-alpha-1": ("alpha", ["smtp", "nntp"]),
            "iis4-kb-smtp-only-1": ("x86", ["smtp"])}
OTHER_HOSTS = {"iis4-default-1": "not_affected", "iis5-1": "not_applicable", "iis6-1": "not_applicable",
               "no-iis-1": "not_applicable"}
# What the KB procedure could destroy on a KB host (IIS in C:\Inetsrv): queued mail, the news store, the metabase.
DATA_ROOTS = ("c:\\inetpub\\mailroot\\", "c:\\inetpub\\nntpfile\\", "c:\\inetsrv\\metabase.bin")
# Where the agent keeps the run lock and the progress record (host_lock and remediation_progress notes).
AGENT_DIR = "c:\\winnt\\temp\\win-primitive-agent\\"
RUN_LOCK = AGENT_DIR + "lock\\iis_hotfix.lock"
INSTALL_POINT = f"C:\\iis_hotfix\\{KB}\\install_point"
SERVICES = {"smtp": "SMTPSVC", "nntp": "NNTPSVC"}
REMEDIATE = "winops.iis_hotfix.remediate"
AUDIT = "winops.iis_hotfix.audit"
# The role's tasks, by name.
DETECT = "Detect IIS, SMTP and NNTP and decide the verdict"
PROGRESS = "Read where an earlier run of the procedure stopped"
LOCK = "Take the run lock"
STAGE = "Stage the installation point"
REMOVE = "Back up SMTP and NNTP data, then remove SMTP and NNTP with setup from the point (original INFs)"
OVERLAY = "Overlay the fix files"
REINSTALL = "Reinstall SMTP and NNTP from the installation point and restore their data"
# In check mode the removal is only predicted, so the role predicts the reinstall from it.
PREDICT_REINSTALL = "Predict the reinstall (in check mode the removal before it was only predicted)"
REDETECT = "Detect again"


# -- media and fleets ---------------------------------------------------------------------------------------
def write_media(out: Path) -> Path:
    """`python -m winsim media --out OUT`: OUT/media/<platform> (Option Pack) and OUT/fix/<platform> (the fix)."""
    subprocess.run([sys.executable, "-m", "winsim", "media", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    return out


def start_fleet(workdir: Path, hosts: list[dict[str, Any]], env: dict[str, str] | None = None) -> Fleet:
    """A fleet from a fleet file holding `hosts`; the caller stops it."""
    workdir.mkdir(parents=True, exist_ok=True)
    fleet_file = workdir / "fleet-file.yml"
    fleet_file.write_text(yaml.safe_dump({"hosts": hosts}, sort_keys=False), encoding="utf-8")
    fleet = Fleet(workdir / "fleet")
    try:
        return fleet.start("--fleet", str(fleet_file), env={**INSTANT_SETUP, **(env or {})})
    except BaseException:
        fleet.stop()
        raise


def every_profile_and_an_offline_host() -> list[dict[str, Any]]:
    return [{"profile": profile} for profile in ALL_PROFILES] + [
        {"name": OFFLINE, "profile": "iis4-kb", "unreachable": True}]


def remediate_args(media: Path, report_dir: Path, *extra: str) -> list[str]:
    return ["-e", f"iis_hotfix_media={media / 'media'}", "-e", f"iis_hotfix_fix_files={media / 'fix'}",
            "-e", f"iis_hotfix_report_dir={report_dir}", *extra]


def states(fleet: Fleet, hosts: Iterable[str]) -> dict[str, dict[str, Any]]:
    return {host: fleet.state(host) for host in hosts}


def writes(fleet: Fleet) -> dict[str, int]:
    return {host: metrics["writes"] for host, metrics in fleet.metrics().items()}


# -- task results ---------------------------------------------------------------------------------------------
def role_results(run: AnsibleRun, task: str) -> dict[str, dict[str, Any]]:
    """Per-host results of one task of the role, by its name without the role prefix."""
    return run.task_results(f"{ROLE} : {task}")


def verdict(result: dict[str, Any]) -> str:
    """The KB verdict an iis_facts task returned."""
    return result["ansible_facts"]["iis_hotfix"]["kb"][KB]["verdict"]


def outcome_of_run(run: AnsibleRun) -> str:
    return f"rc={run.rc}\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"


# -- what a host holds ----------------------------------------------------------------------------------------
def data_files(state: dict[str, Any]) -> dict[str, str]:
    """sha256 of every file in Inetpub's Mailroot and nntpfile, and of the metabase, by lower-case path."""
    return {entry["path"].lower(): entry["sha256"] for entry in state["files"]
            if entry["path"].lower().startswith(DATA_ROOTS)}


def queued_mail(state: dict[str, Any]) -> list[str]:
    return [path for path in data_files(state) if "\\mailroot\\queue\\" in path and path.endswith(".eml")]


def news_articles(state: dict[str, Any]) -> list[str]:
    return [path for path in data_files(state) if path.endswith(".nws")]


def kb_services(state: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """SMTPSVC and NNTPSVC as the service control manager has them: (state, Parameters\\InstallPath)."""
    return {entry["name"]: (entry["state"], entry["install_path"]) for entry in state["services"]
            if entry["name"] in SERVICES.values()}


def file_hashes(state: dict[str, Any], folder: str) -> dict[str, str]:
    """sha256 of the files directly in `folder`, by lower-case file name."""
    prefix = folder.lower().rstrip("\\") + "\\"
    return {entry["path"].lower()[len(prefix):]: entry["sha256"] for entry in state["files"]
            if entry["path"].lower().startswith(prefix) and "\\" not in entry["path"][len(prefix):]}


def local_hashes(folder: Path) -> dict[str, str]:
    """sha256 of the files in a controller folder, by lower-case file name."""
    return {path.name.lower(): hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir()}


def has_file(state: dict[str, Any], path: str) -> bool:
    return any(entry["path"].lower() == path.lower() for entry in state["files"])


def changed_parts(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The parts of a host's state that differ (files, registry, services, events...), for readable failures."""
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


# -- the fleet report -----------------------------------------------------------------------------------------
def read_report(report_dir: Path) -> dict[str, Any]:
    return json.loads((report_dir / "report.json").read_text(encoding="utf-8"))


def report_hosts(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {host["name"]: host for host in report["hosts"]}


def outcomes(report: dict[str, Any]) -> dict[str, str]:
    return {name: host["kb"][KB]["outcome"] for name, host in report_hosts(report).items()}


def junit_verdicts(report_dir: Path) -> dict[str, str]:
    """Per host test case of junit.xml: `passed`, `skipped`, or `failure:<type>`."""
    verdicts = {}
    for case in ET.parse(report_dir / "junit.xml").getroot().iter("testcase"):
        failure = case.find("failure")
        if failure is not None:
            verdicts[case.get("name")] = f"failure:{failure.get('type')}"
        elif case.find("error") is not None:
            verdicts[case.get("name")] = "error"
        elif case.find("skipped") is not None:
            verdicts[case.get("name")] = "skipped"
        else:
            verdicts[case.get("name")] = "passed"
    return verdicts
