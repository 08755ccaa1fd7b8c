# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report: what each host of a play returned, classified so that nothing unknown passes as compliant.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

Per host, the playbooks provide (all optional, exact variable names in ``HOST_VARIABLES``):
  iis_hotfix_audit    registered result of the first iis_facts task: its verdicts (the "before" of a
                      remediate run) and, when it failed or the host was unreachable, why
  iis_hotfix_reaudit  registered result of the iis_facts task after remediation: the "after" verdicts
  iis_hotfix_step     registered result of the latest remediation step: tells when the host became unreachable
  iis_hotfix_actions  list of {step, status, kb, summary, details}: what the run did (would do in check mode)
  iis_hotfix_failure  {task, msg}: set in a rescue to say why the host failed

Host status, decided in this order (the first that holds wins):
  unreachable  a registered audit or step result says so, or the host left the play before any audit came back
  failed       iis_hotfix_failure is set, an audit failed, an action failed, or the host left the play later
  not_audited  the host is still in the play but has no audit result (a later serial batch, or skipped)
  ok           the audit returned verdicts
Only an ``ok`` host whose verdicts are all fixed, not_affected or not_applicable is compliant.
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.kb_rules import (
    FIXED,
    NOT_AFFECTED,
    NOT_APPLICABLE,
    UNDETERMINED,
    VERDICTS,
)

SCHEMA_VERSION = 1
GENERATOR = "winops.iis_hotfix.fleet_report"

AUDIT_VAR = "iis_hotfix_audit"
REAUDIT_VAR = "iis_hotfix_reaudit"
STEP_VAR = "iis_hotfix_step"
ACTIONS_VAR = "iis_hotfix_actions"
FAILURE_VAR = "iis_hotfix_failure"
HOST_VARIABLES = (AUDIT_VAR, REAUDIT_VAR, STEP_VAR, ACTIONS_VAR, FAILURE_VAR)

OK = "ok"
UNREACHABLE = "unreachable"
FAILED = "failed"
NOT_AUDITED = "not_audited"
HOST_STATUSES = (OK, UNREACHABLE, FAILED, NOT_AUDITED)
# A KB outcome is the verdict for a host that answered, else the reason it has none.
OUTCOMES = (*VERDICTS, UNREACHABLE, FAILED, NOT_AUDITED)
COMPLIANT_OUTCOMES = frozenset({FIXED, NOT_AFFECTED, NOT_APPLICABLE})

ACTION_STATUSES = ("changed", "ok", "skipped", "failed")
MODES = ("audit", "remediate")
DEFAULT_KBS = ("Q197303",)
# Ansible's messages for chained errors can run long; a reason is one readable line of the report.
MAX_REASON_LENGTH = 500


@dataclass(frozen=True)
class HostInput:
    """One host as the play left it: still in the play or not, and its HOST_VARIABLES (plain data)."""

    name: str
    in_play: bool
    variables: Mapping[str, t.Any]


def plain_data(value: t.Any) -> t.Any:
    """JSON-ready copy of Ansible data (tagged or lazy containers, unsafe text) as built-in types."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain_data(item) for item in value]
    return str(value)


def _mapping(value: t.Any) -> Mapping[str, t.Any] | None:
    return value if isinstance(value, Mapping) else None


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_REASON_LENGTH else text[: MAX_REASON_LENGTH - 1] + "\u2026"


def _message(result: Mapping[str, t.Any], fallback: str) -> str:
    message = result.get("msg")
    return _shorten(str(message)) if message else fallback


def _kb_facts(result: Mapping[str, t.Any] | None) -> Mapping[str, t.Any] | None:
    """The ``iis_hotfix.kb`` facts of a registered iis_facts result that succeeded, else None."""
    if result is None or result.get("failed") or result.get("unreachable") or result.get("skipped"):
        return None
    facts = _mapping(result.get("ansible_facts"))
    iis_hotfix = _mapping(facts.get("iis_hotfix")) if facts else None
    return _mapping(iis_hotfix.get("kb")) if iis_hotfix else None


def _system_facts(result: Mapping[str, t.Any] | None) -> dict[str, t.Any] | None:
    """A few facts that help a reader place the host (OS, IIS version and path, architecture)."""
    if result is None or _kb_facts(result) is None:
        return None
    facts = result["ansible_facts"]["iis_hotfix"]
    os_facts = _mapping(facts.get("os")) or {}
    iis = _mapping(facts.get("iis")) or {}
    version = _mapping(iis.get("version")) or {}
    architecture = _mapping(facts.get("architecture")) or {}
    windows = " ".join(str(part) for part in (os_facts.get("version"), os_facts.get("service_pack")) if part)
    return {
        "windows": windows or None,
        "architecture": architecture.get("native"),
        "iis_version": version.get("string"),
        "iis_install_path": iis.get("install_path"),
    }


def _actions(value: t.Any, problems: list[str]) -> list[dict[str, t.Any]]:
    """The documented fields of each iis_hotfix_actions entry; malformed entries become problems."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(f"{ACTIONS_VAR} is not a list")
        return []
    actions = []
    for index, entry in enumerate(value):
        if not isinstance(entry, Mapping) or not entry.get("step"):
            problems.append(f"{ACTIONS_VAR}[{index}] is not a mapping with a step name")
            continue
        status = entry.get("status")
        if status not in ACTION_STATUSES:
            problems.append(f"{ACTIONS_VAR}[{index}] has status {status!r}, not one of {', '.join(ACTION_STATUSES)}")
        details = entry.get("details")
        actions.append(
            {
                "step": str(entry["step"]),
                "status": str(status) if status is not None else None,
                "kb": str(entry["kb"]) if entry.get("kb") else None,
                "summary": str(entry["summary"]) if entry.get("summary") else None,
                "details": details if isinstance(details, Mapping) else None,
            }
        )
    return actions


def _status(host: HostInput, actions: Sequence[Mapping[str, t.Any]], problems: list[str]) -> tuple[str, str | None]:
    audit = _mapping(host.variables.get(AUDIT_VAR))
    reaudit = _mapping(host.variables.get(REAUDIT_VAR))
    step = _mapping(host.variables.get(STEP_VAR))
    # Ansible registers a result even when the connection failed, and a lost host runs no later task.
    for name, result in ((REAUDIT_VAR, reaudit), (STEP_VAR, step), (AUDIT_VAR, audit)):
        if result is not None and result.get("unreachable"):
            return UNREACHABLE, _message(result, f"the host could not be reached ({name})")
    failure = host.variables.get(FAILURE_VAR)
    if failure is not None:
        if isinstance(failure, Mapping):
            task = failure.get("task")
            message = str(failure.get("msg") or "no message")
            return FAILED, _shorten(f"{task}: {message}" if task else message)
        problems.append(f"{FAILURE_VAR} is not a mapping")
        return FAILED, _shorten(str(failure))
    for name, result in ((REAUDIT_VAR, reaudit), (AUDIT_VAR, audit)):
        if result is not None and result.get("failed"):
            return FAILED, _message(result, f"the iis_facts task registered as {name} failed")
    for action in actions:
        if action["status"] == "failed":
            return FAILED, f"step {action['step']} failed" + (f": {action['summary']}" if action["summary"] else "")
    if not host.in_play:
        if audit is None:
            return UNREACHABLE, "left the play before its audit returned: the host could not be reached"
        return FAILED, "left the play after its audit: a later task failed or the connection was lost"
    if _kb_facts(audit) is None:
        if audit is not None and not audit.get("skipped"):
            problems.append(f"{AUDIT_VAR} holds no ansible_facts.iis_hotfix.kb")
        return NOT_AUDITED, "no audit result yet: the host is in a later serial batch, or its audit was skipped"
    return OK, None


def _verdict_fact(facts: Mapping[str, t.Any] | None, kb: str) -> dict[str, t.Any] | None:
    fact = _mapping(facts.get(kb)) if facts else None
    if fact is None:
        return None
    evidence = fact.get("evidence")
    return {
        "verdict": str(fact.get("verdict")) if fact.get("verdict") is not None else None,
        "evidence": [str(line) for line in evidence] if isinstance(evidence, list) else [],
    }


def _final_facts(host: HostInput, mode: str, check_mode: bool, changed: bool) -> tuple[Mapping | None, str | None]:
    """The verdict facts the run ended with, and why they are missing when they are."""
    before = _kb_facts(_mapping(host.variables.get(AUDIT_VAR)))
    after = _kb_facts(_mapping(host.variables.get(REAUDIT_VAR)))
    if after is not None:
        return after, None
    if mode == "remediate" and changed and not check_mode:
        return None, "the host was changed but not audited again, so its verdict after remediation is unknown"
    return before, None


def classify_host(host: HostInput, kbs: Sequence[str], *, mode: str, check_mode: bool) -> dict[str, t.Any]:
    """The report entry of one host (see the ``hosts`` items of report.json)."""
    problems: list[str] = []
    actions = _actions(host.variables.get(ACTIONS_VAR), problems)
    status, reason = _status(host, actions, problems)
    changed = any(action["status"] == "changed" for action in actions)
    final, final_missing = _final_facts(host, mode, check_mode, changed)
    before = _kb_facts(_mapping(host.variables.get(AUDIT_VAR))) if mode == "remediate" else None

    entries: dict[str, dict[str, t.Any]] = {}
    for kb in kbs:
        fact = _verdict_fact(final, kb)
        entry = {
            "outcome": status,
            "verdict": fact["verdict"] if fact else None,
            "evidence": fact["evidence"] if fact else [],
            "before": _verdict_fact(before, kb),
        }
        if status == OK:
            if fact is None:
                entry["outcome"] = UNDETERMINED
                entry["evidence"] = [final_missing or f"the audit returned no verdict for {kb}"]
            elif fact["verdict"] in VERDICTS:
                entry["outcome"] = fact["verdict"]
            else:
                entry["outcome"] = UNDETERMINED
                entry["evidence"] = [f"unknown verdict {fact['verdict']!r}", *fact["evidence"]]
        entries[kb] = entry

    system = _system_facts(_mapping(host.variables.get(REAUDIT_VAR))) or _system_facts(
        _mapping(host.variables.get(AUDIT_VAR))
    )
    return {
        "name": host.name,
        "status": status,
        "reason": reason,
        "compliant": status == OK and all(entry["outcome"] in COMPLIANT_OUTCOMES for entry in entries.values()),
        "changed": changed,
        "system": system,
        "kb": entries,
        "actions": actions,
        "problems": problems,
    }


def reported_kbs(hosts: Sequence[HostInput], requested: Sequence[str] | None) -> list[str]:
    """The KBs to report: those asked for, else every KB an audit returned, else the default."""
    if requested:
        return list(dict.fromkeys(requested))
    found: dict[str, None] = {}
    for host in hosts:
        for name in (AUDIT_VAR, REAUDIT_VAR):
            found.update(dict.fromkeys(_kb_facts(_mapping(host.variables.get(name))) or {}))
    return list(found) or list(DEFAULT_KBS)


def summarize(entries: Sequence[Mapping[str, t.Any]], kbs: Sequence[str]) -> dict[str, t.Any]:
    """Counts per host status and per KB outcome, and the hosts that need attention."""
    by_status = dict.fromkeys(HOST_STATUSES, 0)
    by_kb = {kb: dict.fromkeys(OUTCOMES, 0) for kb in kbs}
    for entry in entries:
        by_status[entry["status"]] += 1
        for kb in kbs:
            by_kb[kb][entry["kb"][kb]["outcome"]] += 1
    compliant = [entry["name"] for entry in entries if entry["compliant"]]
    return {
        "hosts": len(entries),
        "compliant": len(compliant),
        "noncompliant": len(entries) - len(compliant),
        "changed": sum(1 for entry in entries if entry["changed"]),
        "by_status": by_status,
        "by_kb": by_kb,
        "noncompliant_hosts": [entry["name"] for entry in entries if not entry["compliant"]],
        "unreachable_hosts": [entry["name"] for entry in entries if entry["status"] == UNREACHABLE],
        "failed_hosts": [entry["name"] for entry in entries if entry["status"] == FAILED],
    }


def build_report(
    hosts: Sequence[HostInput],
    *,
    kbs: Sequence[str] | None = None,
    mode: str = "audit",
    check_mode: bool = False,
    title: str = "IIS hotfix fleet report",
    generated_at: str,
    run: Mapping[str, t.Any] | None = None,
) -> dict[str, t.Any]:
    """The report.json document."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    names = [host.name for host in hosts]
    if len(set(names)) != len(names):
        raise ValueError("each host may appear only once in a report")
    chosen = reported_kbs(hosts, kbs)
    entries = [classify_host(host, chosen, mode=mode, check_mode=check_mode) for host in hosts]
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": GENERATOR,
        "title": title,
        "generated_at": generated_at,
        "mode": mode,
        "check_mode": bool(check_mode),
        "kbs": chosen,
        "run": dict(run or {}),
        "summary": summarize(entries, chosen),
        "hosts": entries,
    }
