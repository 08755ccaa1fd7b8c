"""Incomplete media is refused before the removal, and complete media given later converges (issue 9, item 4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from remediate_role_support import (
    REDETECT,
    REMEDIATE,
    STAGE,
    data_files,
    kb_services,
    outcome_of_run,
    remediate_args,
    role_results,
    start_fleet,
    verdict,
    write_media,
)

pytestmark = pytest.mark.integration

HOST = "iis4-kb-1"


def test_media_missing_a_file_the_infs_copy_is_refused_before_the_removal(tmp_path):
    media = write_media(tmp_path / "complete")
    incomplete = tmp_path / "incomplete"
    shutil.copytree(media, incomplete)
    for platform in ("x86", "alpha"):
        (incomplete / "media" / platform / "smtpsvc.dll").unlink()
    fleet = start_fleet(tmp_path, [{"profile": "iis4-kb"}])
    try:
        before = fleet.state(HOST)
        refused = fleet.playbook(REMEDIATE, *remediate_args(incomplete, tmp_path / "report-refused"))
        assert refused.rc != 0
        staged = role_results(refused, STAGE)[HOST]
        assert staged.get("failed") is True and "smtpsvc.dll (copied by Ims.inf)" in staged["msg"], \
            outcome_of_run(refused)
        now = fleet.state(HOST)
        assert kb_services(now) == kb_services(before)  # SMTP and NNTP were not removed
        assert data_files(now) == data_files(before)

        fixed = fleet.playbook(REMEDIATE, *remediate_args(Path(media), tmp_path / "report-fixed"))
        assert fixed.rc == 0, outcome_of_run(fixed)
        assert verdict(role_results(fixed, REDETECT)[HOST]) == "fixed"
        assert data_files(fleet.state(HOST)) == data_files(before)
    finally:
        fleet.stop()
