"""The run locks of the remediate role against real ansible-playbook runs (issue 9, items 2 and 5).

Item 2: a run cut off from its host while Option Pack setup runs (every later request dropped) cannot
release iis_component's lock; the audit then says undetermined (item 3), and the next run from the same
controller takes the locks over at once and converges.
Item 5: a second run from the same account, started while the first one works, is refused and leaves the
first run's lock in place; the first run still converges.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from harness import AnsibleRun, Fleet
from remediate_role_support import (
    AUDIT,
    LOCK,
    REDETECT,
    REMEDIATE,
    REMOVE,
    RUN_LOCK,
    data_files,
    has_file,
    outcome_of_run,
    outcomes,
    read_report,
    remediate_args,
    role_results,
    start_fleet,
    verdict,
    write_media,
)

pytestmark = pytest.mark.integration

HOST = "iis4-kb-1"
# Long enough that setup outlasts one poll (the host answers a poll when setup ends or after 10 s).
SLOW_SETUP = {"WINSIM_SETUP_TIME_SCALE": "6"}
COMPONENT_LOCK = "\\lock\\winops.iis_hotfix.iis_component.lock"


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return write_media(tmp_path_factory.mktemp("media"))


def remediate(fleet: Fleet, media: Path, report_dir: Path) -> AnsibleRun:
    return fleet.playbook(REMEDIATE, *remediate_args(media, report_dir))


def while_setup_runs(fleet: Fleet, media: Path, report_dir: Path,
                     then: Callable[[], object]) -> tuple[AnsibleRun, object]:
    """Run the playbook; once setup has started on the host, call ``then`` while the run goes on."""
    with ThreadPoolExecutor(max_workers=1) as runner:
        running = runner.submit(remediate, fleet, media, report_dir)
        while not running.done() and not any("winops.iis_hotfix.iis_component.setup" in entry["path"].lower()
                                             for entry in fleet.state(HOST)["files"]):
            time.sleep(0.2)
        assert not running.done(), "the run ended before setup started:\n" + outcome_of_run(running.result())
        meanwhile = then()
        return running.result(), meanwhile


def test_a_run_cut_off_during_setup_leaves_its_locks_and_the_next_run_takes_them_over_at_once(tmp_path, media):
    fleet = start_fleet(tmp_path, [{"profile": "iis4-kb"}], env=SLOW_SETUP)
    try:
        before = fleet.state(HOST)
        cut_off, _ = while_setup_runs(fleet, media, tmp_path / "report-cut", lambda: fleet.winsim(
            "faults", "--workdir", str(fleet.workdir), HOST, "--add", "action=drop,on_request=1,count=100000"))
        fleet.winsim("faults", "--workdir", str(fleet.workdir), HOST)  # the link is back
        assert role_results(cut_off, REMOVE)[HOST].get("unreachable") is True, outcome_of_run(cut_off)
        left = fleet.state(HOST)
        assert any(entry["path"].lower().endswith(COMPONENT_LOCK) for entry in left["files"])
        assert has_file(left, RUN_LOCK)
        # Until the next run finishes the work, the audit calls the host undetermined (issue 9, item 3).
        audit = fleet.playbook(AUDIT, "-e", f"iis_hotfix_report_dir={tmp_path / 'report-audit'}")
        assert outcomes(read_report(tmp_path / "report-audit"))[HOST] == "undetermined", outcome_of_run(audit)

        rerun = remediate(fleet, media, tmp_path / "report-rerun")
        assert rerun.rc == 0, outcome_of_run(rerun)
        assert verdict(role_results(rerun, REDETECT)[HOST]) == "fixed"
        after = fleet.state(HOST)
        assert data_files(after) == data_files(before)
        assert not has_file(after, RUN_LOCK)
        assert not any(entry["path"].lower().endswith(COMPONENT_LOCK) for entry in after["files"])
    finally:
        fleet.stop()


def test_a_second_run_from_the_same_account_is_refused_and_leaves_the_first_runs_lock(tmp_path, media):
    fleet = start_fleet(tmp_path, [{"profile": "iis4-kb"}], env=SLOW_SETUP)
    try:
        before = fleet.state(HOST)

        def second_run() -> tuple[AnsibleRun, bool]:
            second = remediate(fleet, media, tmp_path / "report-second")
            return second, has_file(fleet.state(HOST), RUN_LOCK)

        first, (second, lock_kept) = while_setup_runs(fleet, media, tmp_path / "report-first", second_run)
        refused = role_results(second, LOCK)[HOST]
        assert refused.get("failed") is True and "held by another run" in refused["msg"], outcome_of_run(second)
        assert second.rc != 0
        assert lock_kept, "the refused run released the working run's lock"

        assert first.rc == 0, outcome_of_run(first)
        assert verdict(role_results(first, REDETECT)[HOST]) == "fixed"
        assert data_files(fleet.state(HOST)) == data_files(before)
    finally:
        fleet.stop()
