"""Detection: the one read-only batch it sends, and what it reads from recorded answers."""

from __future__ import annotations

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import AgentClient
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import READ_OPERATIONS
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_detect import (
    build_detection_batch,
    parse_detection,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_report import build_facts


@pytest.fixture
def snapshot_of(windows_connection, recorded_response):
    def detect(fixture: str):
        client = AgentClient(windows_connection(recorded_response(fixture)))
        return parse_detection(client.run(build_detection_batch(event_lookback=20)))

    return detect


def _operations():
    return {op["id"]: op for op in build_detection_batch(event_lookback=7).to_request()["operations"]}


def test_detection_is_one_read_only_batch():
    operations = _operations()
    assert {op["op"] for op in operations.values()} <= READ_OPERATIONS
    assert operations["scm_events"]["args"] == {
        "log": "System",
        "newest": 7,
        "message": True,
        "sources": ["Service Control Manager"],
        "event_ids": [7000, 7023],
    }


def test_dll_probes_follow_registry_values_read_in_the_same_batch():
    operations = _operations()
    ids = list(operations)
    registered = operations["smtp_dll_install_path"]["args"]["path"]
    assert registered == {
        "$join": [{"$expand": {"$ref": "smtp_parameters", "pointer": "/values/InstallPath/value"}}, "smtpsvc.dll"]
    }
    assert ids.index("smtp_parameters") < ids.index("smtp_dll_install_path")
    assert operations["nntp_dll_iis_path"]["args"]["path"]["$join"][0]["$expand"]["$ref"] == "inetstp"
    assert operations["nntp_dll_default_path"]["args"]["path"] == {
        "$join": [{"$expand": "%windir%\\system32\\inetsrv"}, "nntpsvc.dll"]
    }


def test_reads_iis_outside_the_default_path_with_services_at_the_hard_coded_path(snapshot_of):
    snapshot = snapshot_of("detect_nt4_iis4_nondefault_affected.json")
    assert (snapshot.iis.installed, snapshot.iis.major, snapshot.iis.minor) == (True, 4, 0)
    assert snapshot.iis.install_path == "D:\\Inetsrv"
    assert snapshot.default_iis_directory == "C:\\WINNT\\system32\\inetsrv"
    smtp = snapshot.services["smtp"]
    assert (smtp.installed, smtp.state, smtp.display_name) == (True, "stopped", "Microsoft SMTP Service")
    assert smtp.install_path == "C:\\WINNT\\System32\\inetsrv"
    assert smtp.dll_at_install_path.exists is False
    assert smtp.dll_at_iis_path.exists is True
    assert [event.event_id for event in smtp.failure_events] == [7023, 7023]
    assert snapshot.problems == ()


def test_absent_iis_is_an_answer_not_a_problem(snapshot_of):
    snapshot = snapshot_of("detect_nt4_no_iis.json")
    assert snapshot.iis.installed is False
    assert [service.installed for service in snapshot.services.values()] == [False, False]
    # The probes that referred to absent registry values came back unresolved: not problems.
    assert snapshot.problems == ()


def test_a_denied_read_leaves_iis_unknown_and_is_reported(snapshot_of):
    snapshot = snapshot_of("detect_nt4_inetstp_access_denied.json")
    assert snapshot.iis.installed is None
    assert snapshot.problems == (
        "inetstp: registry.read: Requested registry access is not allowed. (access_denied, Win32 error 5)",
    )


def test_events_are_attributed_to_the_service_they_name_or_to_none(snapshot_of):
    snapshot = snapshot_of("detect_alpha_iis4_smtp_added_later.json")
    smtp = snapshot.services["smtp"]
    assert [(event.event_id, event.service_label) for event in smtp.failure_events] == [
        (7000, "Microsoft SMTP Service")
    ]
    assert snapshot.services["nntp"].installed is False
    assert snapshot.architecture["native"] == "ALPHA"


def test_facts_report_versions_paths_and_services(snapshot_of):
    facts = build_facts(snapshot_of("detect_nt4_iis4_nondefault_affected.json"), ["Q197303"])
    assert facts["iis"]["version"] == {"major": 4, "minor": 0, "string": "Version 4.0"}
    assert facts["iis"]["install_path"] == "D:\\Inetsrv"
    assert facts["iis"]["install_path_canonical"] == "D:\\INETSRV"
    assert facts["iis"]["default_path"] == "C:\\WINNT\\system32\\inetsrv"
    assert facts["iis"]["outside_default_path"] is True
    assert facts["os"] == {
        "version": "4.0.1381.0",
        "build": 1381,
        "service_pack": "Service Pack 6",
        "product_name": None,
    }
    assert facts["architecture"] == {"native": "x86", "process": "x86"}
    assert facts["powershell_version"] == "2.0"
    smtp = facts["smtp"]
    assert (smtp["name"], smtp["start_mode"]) == ("SMTPSVC", "auto")
    assert smtp["image_path"] == "D:\\Inetsrv\\inetinfo.exe"
    assert smtp["install_path"] == "C:\\WINNT\\System32\\inetsrv"
    assert smtp["dll"]["at_install_path"] == {"path": "C:\\WINNT\\System32\\inetsrv\\smtpsvc.dll", "exists": False}
    assert [event["event_id"] for event in smtp["failure_events"]] == [7023, 7023]
    assert facts["nntp"]["installed"] is True
    assert facts["kb"]["Q197303"]["verdict"] == "affected"


def test_facts_see_through_a_differently_spelled_default_path(snapshot_of):
    facts = build_facts(snapshot_of("detect_nt4_iis4_default_path.json"), [])
    assert facts["iis"]["install_path"] == "%SystemRoot%\\System32\\InetSrv\\"
    assert facts["iis"]["install_path_expanded"] == "C:\\WINNT\\System32\\InetSrv"
    assert facts["iis"]["outside_default_path"] is False
    assert facts["kb"] == {}


def test_facts_report_the_native_architecture_under_wow64(snapshot_of):
    facts = build_facts(snapshot_of("detect_w2k3_x64_iis6.json"), [])
    assert facts["architecture"] == {"native": "AMD64", "process": "x86"}
    assert facts["os"]["product_name"] == "Microsoft Windows Server 2003"
    assert facts["smtp"]["display_name"] == "Simple Mail Transfer Protocol (SMTP)"
    assert facts["nntp"]["installed"] is False


def test_an_unreadable_inetstp_is_not_mistaken_for_an_older_iis(windows_connection, agent_fixture):
    document = agent_fixture("detect_nt4_inetstp_access_denied.json")
    legacy = next(result for result in document["results"] if result["id"] == "inetsrv_legacy")
    legacy["value"] = {
        "path": legacy["value"]["path"],
        "exists": True,
        "values": {"MajorVersion": {"type": "REG_DWORD", "value": 3}},
    }
    client = AgentClient(windows_connection(lambda request: document))
    snapshot = parse_detection(client.run(build_detection_batch(event_lookback=20)))
    assert snapshot.iis.installed is None
    assert snapshot.iis.major is None
