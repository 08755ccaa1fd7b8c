"""Bad input gets a clear error before anything is written (issue 9, items 1 and 7): each row is one real
Ansible run against one simulated KB host, whose write counter must not move. The figure is printed in pytest's
terminal summary."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from harness import AnsibleRun, Fleet
from remediate_role_support import REMEDIATE, outcome_of_run, remediate_args, start_fleet, write_media

pytestmark = pytest.mark.integration

HOST = "iis4-kb-1"
POINT = "C:\\iis_hotfix\\point"


def module(module_name: str, **args: str) -> tuple[str, str]:
    # JSON, not key=value: Ansible would read the backslashes of Windows paths as escapes.
    return f"winops.iis_hotfix.{module_name}", json.dumps(args)


def rows(sources: Path) -> dict[str, tuple[tuple[str, str] | str, str]]:
    """Row -> (module and arguments, or "role:<extra var>"), what the error must say."""
    return {
        "backup inside Mailroot (role)": ("role:" + json.dumps({"iis_hotfix_backup_dir": "C:\\InetPub\\Mailroot\\bk"}),
                                          "lies inside the SMTP Mailroot"),
        "backup inside Mailroot (iis_component)": (module(
            "iis_component", name="smtp", state="absent", source=POINT, backup_dir="C:\\InetPub\\Mailroot\\bk"),
            "lies inside the SMTP Mailroot"),
        "empty source": (module("install_point", src=str(sources / "empty"), dest=POINT), "holds no files to stage"),
        "FIFO in the source": (module("install_point", src=str(sources / "fifo"), dest=POINT),
                               "queue.pipe: is a FIFO (named pipe)"),
        "UNC dest on an unreachable share": (
            module("install_point", src=str(sources / "fifo-free"), dest="\\\\fileserver\\media\\point"),
            "which the host cannot reach"),
        "backup_dir with a character Windows forbids": (module(
            "iis_component", name="smtp", state="absent", source=POINT, backup_dir="C:\\bk|x"),
            "character Windows forbids"),
        "backup_dir naming a variable the host lacks": (module(
            "iis_component", name="smtp", state="absent", source=POINT, backup_dir="%NO_SUCH_VAR%\\bk"),
            "names %NO_SUCH_VAR%, not set on the host"),
        "unknown KB in remediation_progress": (module("remediation_progress", kb="Q000000", step="started"),
                                               "value of kb must be one of"),
    }


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sources")
    (root / "empty" / "i386").mkdir(parents=True)
    (root / "fifo").mkdir()
    (root / "fifo" / "setup.exe").write_bytes(b"MZ")
    os.mkfifo(root / "fifo" / "queue.pipe")
    (root / "fifo-free").mkdir()
    (root / "fifo-free" / "setup.exe").write_bytes(b"MZ")
    return root


def run_row(fleet: Fleet, what: tuple[str, str] | str, media: Path, report: Path) -> tuple[AnsibleRun, str]:
    if isinstance(what, str):
        run = fleet.playbook(REMEDIATE, *remediate_args(media, report), "-e", what.removeprefix("role:"))
        messages = [str(hosts.get(HOST, {}).get("msg", "")) for play in run.report["plays"]
                    for hosts in (task["hosts"] for task in play["tasks"])]
        return run, "\n".join(messages)
    run = fleet.ansible(HOST, what[0], what[1])
    return run, str(run.results()[HOST].get("msg", ""))


def test_bad_inputs_are_refused_with_a_clear_error_and_nothing_written(tmp_path, sources, record_property):
    media = write_media(tmp_path / "media")
    fleet = start_fleet(tmp_path / "fleet", [{"profile": "iis4-kb"}])
    outcomes: dict[str, str] = {}
    try:
        for index, (row, (what, says)) in enumerate(rows(sources).items()):
            writes = fleet.metrics()[HOST]["writes"]
            run, message = run_row(fleet, what, media, tmp_path / f"report-{index}")
            written = fleet.metrics()[HOST]["writes"] - writes
            if run.rc == 0 or says not in message or written:
                outcomes[row] = f"rc={run.rc}, {written} writes, said: {message[-600:] or outcome_of_run(run)}"
            else:
                outcomes[row] = "refused"
    finally:
        fleet.stop()
    refused = sum(1 for outcome in outcomes.values() if outcome == "refused")
    record_property("figure:bad inputs refused with zero writes", f"{refused}/{len(outcomes)}")
    assert refused == len(outcomes), {row: outcome for row, outcome in outcomes.items() if outcome != "refused"}
