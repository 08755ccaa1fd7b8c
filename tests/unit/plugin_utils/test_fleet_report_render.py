"""The fleet report files as their readers see them: a browser (report.html), a CI system (junit.xml) and
any JSON consumer (report.json against the schema shipped in docs/awx/)."""

from __future__ import annotations

import json
import os
import typing as t
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report import (
    OUTCOMES,
    HostInput,
    build_report,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report_html import bar_chart, render_html
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report_junit import render_junit
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.fleet_report_output import write_report

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "awx" / "fleet-report.schema.json"
HOSTILE_NAME = '<script>alert("x")</script>&co'
HOSTILE_EVIDENCE = 'SMTPSVC is registered in <C:\\WINNT> & "the" default path\x07'


def audit(verdicts: dict[str, str], evidence: str = "a fact") -> dict[str, t.Any]:
    kb = {name: {"verdict": verdict, "evidence": [evidence], "raw": {}} for name, verdict in verdicts.items()}
    return {"changed": False, "ansible_facts": {"iis_hotfix": {"kb": kb}}}


def fleet(*, mode: str = "audit", check_mode: bool = False) -> dict[str, t.Any]:
    """One host per outcome, for two KBs, plus a host whose name and evidence try to break the markup."""
    hosts = [
        HostInput("affected01", True, {"iis_hotfix_audit": audit({"Q197303": "affected", "Q245208": "affected"})}),
        HostInput("fixed01", True, {"iis_hotfix_audit": audit({"Q197303": "fixed", "Q245208": "fixed"})}),
        HostInput("default01", True, {"iis_hotfix_audit": audit({"Q197303": "not_affected", "Q245208": "fixed"})}),
        HostInput("noiis01", True, {"iis_hotfix_audit": audit({"Q197303": "not_applicable", "Q245208": "fixed"})}),
        HostInput("denied01", True, {"iis_hotfix_audit": audit({"Q197303": "undetermined", "Q245208": "fixed"})}),
        HostInput("down01", False, {"iis_hotfix_audit": {"unreachable": True, "msg": "connection refused"}}),
        HostInput("broken01", False, {"iis_hotfix_audit": {"failed": True, "msg": "bad answer"}}),
        HostInput("later01", True, {}),
        HostInput(
            HOSTILE_NAME,
            True,
            {
                "iis_hotfix_audit": audit({"Q197303": "affected", "Q245208": "fixed"}, HOSTILE_EVIDENCE),
                "iis_hotfix_actions": [{"step": "backup", "status": "changed", "summary": "<b>queues</b> & store"}],
            },
        ),
    ]
    return build_report(
        hosts,
        kbs=["Q197303", "Q245208"],
        mode=mode,
        check_mode=check_mode,
        generated_at="2026-03-01T12:00:00Z",
        run={"play": "Audit <fleet>", "awx_job_id": 42},
    )


class PageReader(HTMLParser):
    """Collects what a browser would load, run or show."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.style if self._in_style else self.text).append(data)


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def test_the_page_is_self_contained():
    page = read_page(render_html(fleet()))
    tag_names = {tag for tag, _ in page.tags}
    assert "script" not in tag_names and "link" not in tag_names and "img" not in tag_names
    for _, attrs in page.tags:
        assert "src" not in attrs and "href" not in attrs
        assert not any(name.startswith("on") for name in attrs)
    css = "".join(page.style)
    assert "url(" not in css and "@import" not in css


def test_hostile_values_are_shown_as_text():
    html = render_html(fleet())
    page = read_page(html)
    assert [tag for tag, _ in page.tags].count("script") == 0
    shown = "".join(page.text)
    assert HOSTILE_NAME in shown
    assert 'SMTPSVC is registered in <C:\\WINNT> & "the" default path' in shown
    assert "<b>queues</b> & store" in shown
    assert "&lt;script&gt;" in html and "&lt;b&gt;queues" in html


def test_the_chart_shows_the_counts_of_each_kb():
    report = fleet()
    page = read_page(render_html(report))
    bars = [attrs for tag, attrs in page.tags if tag == "g" and attrs.get("class") == "bar"]
    assert [bar["data-outcome"] for bar in bars] == list(OUTCOMES) * 2
    labels = [attrs["aria-label"] for tag, attrs in page.tags if tag == "svg"]
    assert len(labels) == 2
    assert labels[0].startswith("Q197303: Affected 2, Fixed 1, Not affected 1, Not applicable 1, Undetermined 1")
    assert labels[0].endswith("Unreachable 1, Failed 1, Not audited 1")
    assert labels[1].startswith("Q245208: Affected 1, Fixed 5,")


def test_bar_lengths_follow_the_counts():
    chart = bar_chart("Q197303", {"affected": 4, "fixed": 2, "unreachable": 0})
    widths = {bar.outcome: bar.width for bar in chart.bars}
    assert widths["affected"] == 2 * widths["fixed"] > 0
    assert widths["unreachable"] == 0 and widths["not_audited"] == 0
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)
    assert chart.bars[-1].y < chart.height
    assert all(bar.width == 0 for bar in bar_chart("empty", {}).bars)


def test_hosts_needing_attention_come_first_and_each_has_a_row():
    html = render_html(fleet())
    page = read_page(html)
    rows = [attrs["class"] for tag, attrs in page.tags if tag == "tr" and attrs.get("class")]
    assert len(rows) == 9
    assert rows == ["attention"] * 6 + ["compliant"] * 3
    assert html.index("affected01") < html.index("down01") < html.index("fixed01")


def test_check_mode_is_announced_and_actions_would_change():
    checked = "".join(read_page(render_html(fleet(check_mode=True))).text)
    assert "Check mode: nothing was changed" in checked
    assert "would change" in checked
    applied = "".join(read_page(render_html(fleet())).text)
    assert "Check mode" not in applied
    assert "would change" not in applied


def test_remediation_pages_show_the_verdict_before():
    report = build_report(
        [
            HostInput(
                "iis01",
                True,
                {
                    "iis_hotfix_audit": audit({"Q197303": "affected"}),
                    "iis_hotfix_reaudit": audit({"Q197303": "fixed"}),
                },
            )
        ],
        mode="remediate",
        generated_at="2026-03-01T12:00:00Z",
    )
    text = " ".join(" ".join(read_page(render_html(report)).text).split())
    assert "before: Affected" in text
    assert "Remediation of 1 host(s)" in text


def test_junit_has_one_case_per_host_and_kb_with_the_documented_mapping():
    report = fleet()
    root = ET.fromstring(render_junit(report).encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["winops.iis_hotfix Q197303", "winops.iis_hotfix Q245208"]
    q197303 = suites[0]
    cases = {case.get("name"): case for case in q197303.findall("testcase")}
    assert len(cases) == 9 == int(q197303.get("tests"))
    expected = {
        "affected01": ("failure", "affected"),
        "fixed01": ("passed", None),
        "default01": ("passed", None),
        "noiis01": ("skipped", None),
        "denied01": ("failure", "undetermined"),
        "down01": ("failure", "unreachable"),
        "broken01": ("failure", "failed"),
        "later01": ("failure", "not_audited"),
        HOSTILE_NAME: ("failure", "affected"),
    }
    for name, (result, failure_type) in expected.items():
        case = cases[name]
        failure, skipped = case.find("failure"), case.find("skipped")
        seen = "failure" if failure is not None else "skipped" if skipped is not None else "passed"
        assert seen == result, name
        if failure is not None:
            assert failure.get("type") == failure_type
        assert case.get("classname") == "winops.iis_hotfix.Q197303"
    assert (q197303.get("failures"), q197303.get("skipped"), q197303.get("errors")) == ("6", "1", "0")
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("18", "10", "1")


def test_junit_cases_carry_the_reason_evidence_and_properties():
    root = ET.fromstring(render_junit(fleet(check_mode=True)).encode("utf-8"))
    cases = {case.get("name"): case for case in root.find("testsuite").findall("testcase")}
    down = cases["down01"]
    assert down.find("failure").get("message") == "down01 could not be reached: connection refused"
    properties = {prop.get("name"): prop.get("value") for prop in down.find("properties")}
    assert properties == {"status": "unreachable", "outcome": "unreachable"}
    hostile = cases[HOSTILE_NAME]
    assert "\x07" not in hostile.find("failure").text
    assert hostile.find("failure").text.startswith("SMTPSVC is registered in <C:\\WINNT>")
    assert "action: backup: would change - <b>queues</b> & store" in hostile.find("system-out").text
    assert cases["noiis01"].find("skipped").get("message") == "Q197303 does not apply to noiis01: a fact"
    suite_properties = {prop.get("name"): prop.get("value") for prop in root.find("testsuite").find("properties")}
    assert suite_properties == {
        "kb": "Q197303",
        "mode": "audit",
        "check_mode": "true",
        "play": "Audit <fleet>",
        "awx_job_id": "42",
    }


def test_report_json_matches_the_published_schema(tmp_path):
    written = write_report(fleet(mode="remediate"), tmp_path, ["json"])
    document = json.loads(Path(written["json"]).read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    broken = {**document, "hosts": [{**document["hosts"][0], "status": "compliant"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_write_report_writes_each_requested_file_whole(tmp_path):
    target = tmp_path / "nested" / "reports"
    written = write_report(fleet(), target, ["json", "html", "junit"])
    assert written == {
        "json": str(target / "report.json"),
        "html": str(target / "report.html"),
        "junit": str(target / "junit.xml"),
    }
    assert sorted(path.name for path in target.iterdir()) == ["junit.xml", "report.html", "report.json"]
    for path in written.values():
        assert os.stat(path).st_mode & 0o777 == 0o644
    assert write_report(fleet(), target, ["junit"]) == {"junit": str(target / "junit.xml")}


def test_write_report_errors_are_clear(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(IisHotfixError, match="cannot write the fleet report to"):
        write_report(fleet(), blocker / "reports", ["json"])
    with pytest.raises(IisHotfixError, match="unknown report format"):
        write_report(fleet(), tmp_path, ["pdf"])
    assert not any(tmp_path.glob("*.partial"))


def test_each_host_row_places_the_host_windows_and_iis_or_says_there_is_none():
    def facts(iis: dict[str, t.Any]) -> dict[str, t.Any]:
        result = audit({"Q197303": "not_applicable"})
        result["ansible_facts"]["iis_hotfix"].update(
            os={"version": "4.0.1381", "service_pack": "Service Pack 6"}, architecture={"native": "x86"}, iis=iis)
        return result

    report = build_report(
        [HostInput("web01", True, {"iis_hotfix_audit": facts(
            {"installed": True, "version": {"string": "Version 4.0"}, "install_path": "C:\\Inetsrv"})}),
         HostInput("file01", True, {"iis_hotfix_audit": facts({"installed": False})})],
        kbs=["Q197303"], mode="audit", check_mode=False, generated_at="2026-03-01T12:00:00Z", run={})
    text = " ".join(" ".join(read_page(render_html(report)).text).split())
    assert "4.0.1381 Service Pack 6 (x86), IIS Version 4.0 in C:\\Inetsrv" in text
    assert "4.0.1381 Service Pack 6 (x86), no IIS found" in text
    assert "IIS ?" not in text
