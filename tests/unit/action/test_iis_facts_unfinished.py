"""iis_facts never calls a half-way remediated host compliant (issue 9, item 3): with the role's progress
record, a pending setup run or data waiting in iis_component's backup, the verdict is undetermined."""

from __future__ import annotations

import copy
import json
import typing as t
from pathlib import Path

import pytest
from test_iis_facts_action import make_action

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.unfinished_work import COMPONENT_RECORD, SETUP_RECORD

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FIXED = "detect_nt4_iis4_nondefault_fixed.json"
NOT_APPLICABLE = "detect_nt4_iis4_nondefault_no_mail_news.json"
PROGRESS = {"kb": "Q197303", "step": "reinstalled", "steps_done": ["started", "staged", "removed", "overlaid",
                                                                     "reinstalled"], "details": {}}
BACKUP_PENDING = {"version": 1, "setup": False, "datasets": {"mailroot": {
    "live_path": "C:\\Inetpub\\Mailroot", "backup_path": "C:\\bk\\mailroot", "status": "removed",
    "updated": "2026-01-01T00:00:00Z", "file_count": 9, "total_bytes": 900, "digest": "x"}}}
RESTORED = copy.deepcopy(BACKUP_PENDING)
RESTORED["datasets"]["mailroot"]["status"] = "restored"


def answering(fixture: dict[str, t.Any], records: dict[str, t.Any]):
    """The recorded answer, with the records named in ``records`` present on the host."""
    document = copy.deepcopy(fixture)
    for result in document["results"]:
        if result["id"] in records:
            result["value"] = {"name": result["value"]["name"], "exists": True, "updated": "2026-01-01T00:00:00Z",
                               "value": records[result["id"]]}

    def answer(request: dict[str, t.Any]) -> dict[str, t.Any]:
        assert [op["id"] for op in request["operations"]] == [r["id"] for r in document["results"]]
        return document
    return answer


def audit(windows_connection, fixture: str, records: dict[str, t.Any], **args) -> dict[str, t.Any]:
    document = json.loads((FIXTURES / fixture).read_text(encoding="utf-8"))
    if args.get("ignore_progress"):
        document["results"] = [r for r in document["results"] if not r["id"].startswith("unfinished_Q")]
    connection = windows_connection(answering(document, records))
    result = make_action(connection, args).run(task_vars={})
    return result["ansible_facts"]["iis_hotfix"]["kb"]["Q197303"]


@pytest.mark.parametrize(("fixture", "records", "says"), [
    (FIXED, {"unfinished_Q197303": PROGRESS}, "last completed step is 'reinstalled'"),
    (NOT_APPLICABLE, {"unfinished_Q197303": {**PROGRESS, "step": "removed"}}, "last completed step is 'removed'"),
    (FIXED, {COMPONENT_RECORD: BACKUP_PENDING}, "waiting in the backup C:\\bk\\mailroot"),
    (NOT_APPLICABLE, {SETUP_RECORD: {"pid": 4}}, "setup run started by iis_component"),
])
def test_unfinished_work_makes_the_verdict_undetermined(windows_connection, fixture, records, says):
    verdict = audit(windows_connection, fixture, records)
    assert verdict["verdict"] == "undetermined"
    assert any(says in line for line in verdict["evidence"]), verdict["evidence"]
    assert verdict["raw"]["unfinished"]


def test_finished_work_leaves_the_verdict_alone(windows_connection):
    assert audit(windows_connection, FIXED, {COMPONENT_RECORD: RESTORED})["verdict"] == "fixed"
    assert audit(windows_connection, NOT_APPLICABLE, {})["verdict"] == "not_applicable"


def test_the_roles_own_check_can_ignore_its_progress_record(windows_connection):
    verdict = audit(windows_connection, FIXED, {COMPONENT_RECORD: RESTORED}, ignore_progress=True)
    assert verdict["verdict"] == "fixed" and verdict["raw"]["unfinished"] == []
