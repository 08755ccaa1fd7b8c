# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the audit reads besides Windows itself: work a remediation left unfinished on the host.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

Half-way through the procedure the services alone mislead: once SMTP and NNTP are removed the
host looks "not applicable", once they are reinstalled without their data it looks "fixed". So the
audit also reads the role's progress record and iis_component's record, and a host with either an
unfinished procedure or data waiting in a backup is ``undetermined`` (never compliant), with the
evidence saying what is unfinished.
"""

from __future__ import annotations

import typing as t

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_state import (
    COPYING,
    RECORD_NAME,
    REMOVED,
    SETUP_RECORD_NAME,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.kb_rules import SUPPORTED_KBS, UNDETERMINED
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_records import progress_record_name

COMPONENT_RECORD = "unfinished_component"
SETUP_RECORD = "unfinished_setup"


def progress_op(kb: str) -> str:
    return f"unfinished_{kb}"


def add_reads(batch: AgentBatch, *, progress: bool = True) -> None:
    """Read the records in the audit's own batch (no extra round trip); the progress record of every
    supported KB, so the batch is the same whichever KBs are asked for."""
    batch.state_read(RECORD_NAME, op_id=COMPONENT_RECORD)
    batch.state_read(SETUP_RECORD_NAME, op_id=SETUP_RECORD)
    if progress:
        for kb in SUPPORTED_KBS:
            batch.state_read(progress_record_name(kb), op_id=progress_op(kb))


def _value(response: AgentResponse, op_id: str) -> tuple[bool, t.Any]:
    """(known, record value or None); a record that cannot be read is unknown, hence unfinished."""
    result = response.results.get(op_id)
    if result is None:
        return True, None
    if not result.ok or not isinstance(result.value, dict):
        return False, None
    return True, result.value.get("value") if result.value.get("exists") else None


def unfinished(response: AgentResponse, kb: str) -> list[str]:
    """Evidence of unfinished work on the host for ``kb``; empty when there is none."""
    evidence = []
    known, progress = _value(response, progress_op(kb))
    if not known:
        evidence.append(f"the {kb} progress record could not be read")
    elif isinstance(progress, dict):
        evidence.append(f"a {kb} remediation is unfinished: its last completed step is "
                        f"'{progress.get('step')}' (the next run resumes it)")
    known, setup = _value(response, SETUP_RECORD)
    if not known or setup is not None:
        evidence.append("a setup run started by iis_component has not been recorded as finished")
    known, record = _value(response, COMPONENT_RECORD)
    if not known:
        evidence.append("iis_component's record could not be read")
    elif isinstance(record, dict):
        datasets = record.get("datasets") if isinstance(record.get("datasets"), dict) else {}
        for key, dataset in sorted(datasets.items()):
            status = dataset.get("status") if isinstance(dataset, dict) else None
            if status in (REMOVED, COPYING):
                where = dataset.get("backup_path")
                evidence.append(f"the {key} data is waiting in the backup {where} to be restored" if status == REMOVED
                                else f"a backup of the {key} data to {where} was interrupted")
        if record.get("setup"):
            evidence.append("iis_component recorded a setup run that has not finished")
    return evidence


def apply(facts: dict[str, t.Any], response: AgentResponse, kbs: t.Iterable[str]) -> None:
    """Turn each KB verdict into ``undetermined`` when work is unfinished, saying what."""
    for kb in kbs:
        evidence = unfinished(response, kb)
        verdict = facts["kb"][kb]
        verdict["raw"]["unfinished"] = evidence
        if evidence:
            verdict["evidence"] = [*evidence, f"detection alone says {verdict['verdict']}", *verdict["evidence"]]
            verdict["verdict"] = UNDETERMINED
