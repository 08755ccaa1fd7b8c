# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""junit.xml: one test suite per KB, one test case per host, so CI and AWX users see the fleet as tests.

FOR INTERNAL COLLECTION USE ONLY: the interface may change in any release.

Outcome -> test case result:
  fixed, not_affected                                    passed
  not_applicable                                         skipped (the KB does not apply to the host)
  affected, undetermined, unreachable, failed, not_audited  failure, with type set to the outcome
Every test case carries properties (status, outcome, verdict, before) and the evidence and actions
as system-out.
"""

from __future__ import annotations

import re
import typing as t
import xml.etree.ElementTree as ET
from collections.abc import Mapping

PASSED_OUTCOMES = frozenset({"fixed", "not_affected"})
SKIPPED_OUTCOMES = frozenset({"not_applicable"})
FAILURE_MESSAGES = {
    "affected": "{host} is affected by {kb}",
    "undetermined": "{kb} could not be decided on {host}",
    "unreachable": "{host} could not be reached: {reason}",
    "failed": "{host} failed: {reason}",
    "not_audited": "{host} was not audited: {reason}",
}
# Characters XML 1.0 cannot carry even escaped; a stray one in evidence must not break the file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: t.Any) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def junit_result(outcome: str) -> str:
    """'passed', 'skipped' or 'failure' for a KB outcome."""
    if outcome in PASSED_OUTCOMES:
        return "passed"
    if outcome in SKIPPED_OUTCOMES:
        return "skipped"
    return "failure"


def _properties(parent: ET.Element, values: Mapping[str, t.Any]) -> None:
    properties = ET.SubElement(parent, "properties")
    for name, value in values.items():
        if value is not None:
            ET.SubElement(properties, "property", name=_text(name), value=_text(value))


def _system_out(host: Mapping[str, t.Any], entry: Mapping[str, t.Any], check_mode: bool) -> str:
    lines = [f"status: {host['status']}"]
    if host["reason"]:
        lines.append(f"reason: {host['reason']}")
    if entry["before"]:
        lines.append(f"verdict before: {entry['before']['verdict']}")
    lines.append(f"verdict: {entry['verdict'] or 'unknown'}")
    lines.extend(f"evidence: {line}" for line in entry["evidence"])
    for action in host["actions"]:
        status = "would change" if check_mode and action["status"] == "changed" else action["status"]
        summary = f" - {action['summary']}" if action["summary"] else ""
        lines.append(f"action: {action['step']}: {status}{summary}")
    return "\n".join(lines) + "\n"


def _failure_message(host: Mapping[str, t.Any], kb: str, outcome: str) -> str:
    template = FAILURE_MESSAGES[outcome]
    return template.format(host=host["name"], kb=kb, reason=host["reason"] or "no reason recorded")


def _test_case(suite: ET.Element, report: Mapping[str, t.Any], host: Mapping[str, t.Any], kb: str) -> str:
    entry = host["kb"][kb]
    outcome = entry["outcome"]
    case = ET.SubElement(suite, "testcase", classname=f"winops.iis_hotfix.{kb}", name=_text(host["name"]), time="0")
    _properties(
        case,
        {
            "status": host["status"],
            "outcome": outcome,
            "verdict": entry["verdict"],
            "before": entry["before"]["verdict"] if entry["before"] else None,
        },
    )
    result = junit_result(outcome)
    if result == "skipped":
        reason = entry["evidence"][0] if entry["evidence"] else "not applicable"
        ET.SubElement(case, "skipped", message=_text(f"{kb} does not apply to {host['name']}: {reason}"))
    elif result == "failure":
        failure = ET.SubElement(case, "failure", type=outcome, message=_text(_failure_message(host, kb, outcome)))
        failure.text = _text("\n".join(entry["evidence"]) or host["reason"] or outcome)
    ET.SubElement(case, "system-out").text = _text(_system_out(host, entry, report["check_mode"]))
    return result


def render_junit(report: Mapping[str, t.Any]) -> str:
    """The junit.xml text for a report.json document."""
    root = ET.Element("testsuites", name=_text(report["title"]))
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for kb in report["kbs"]:
        suite = ET.SubElement(root, "testsuite", name=f"winops.iis_hotfix {kb}", timestamp=report["generated_at"])
        run = {key: value for key, value in report["run"].items() if not isinstance(value, Mapping | list)}
        _properties(suite, {"kb": kb, "mode": report["mode"], "check_mode": str(report["check_mode"]).lower(), **run})
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for host in report["hosts"]:
            result = _test_case(suite, report, host, kb)
            counts["tests"] += 1
            if result == "failure":
                counts["failures"] += 1
            elif result == "skipped":
                counts["skipped"] += 1
        suite.attrib.update({key: str(value) for key, value in counts.items()}, errors="0", time="0")
        totals = {key: totals[key] + counts[key] for key in totals}
    root.attrib.update({key: str(value) for key, value in totals.items()}, errors="0", time="0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
