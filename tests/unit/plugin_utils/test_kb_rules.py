"""KB verdicts on recorded hosts and on variations of them, with the evidence behind each."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import kb_rules
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import AgentClient
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_detect import (
    build_detection_batch,
    parse_detection,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.iis_snapshot import FileProbe, IisSnapshot


@pytest.fixture
def snapshot_of(windows_connection, recorded_response):
    def detect(fixture: str):
        client = AgentClient(windows_connection(recorded_response(fixture)))
        return parse_detection(client.run(build_detection_batch(event_lookback=20)))

    return detect


@pytest.mark.parametrize(
    ("fixture", "q197303", "q245208"),
    [
        ("detect_nt4_iis4_nondefault_affected.json", "affected", "undetermined"),
        ("detect_nt4_iis4_nondefault_fixed.json", "fixed", "fixed"),
        ("detect_nt4_iis4_default_path.json", "not_affected", "not_affected"),
        ("detect_nt4_no_iis.json", "not_applicable", "not_applicable"),
        ("detect_w2k3_x64_iis6.json", "not_applicable", "not_applicable"),
        ("detect_nt4_iis4_nondefault_no_mail_news.json", "not_applicable", "not_applicable"),
        ("detect_nt4_inetstp_access_denied.json", "undetermined", "undetermined"),
        ("detect_alpha_iis4_smtp_added_later.json", "affected", "affected"),
    ],
)
def test_verdicts_of_recorded_hosts(snapshot_of, fixture, q197303, q245208):
    snapshot = snapshot_of(fixture)
    assert kb_rules.evaluate("Q197303", snapshot).verdict == q197303
    assert kb_rules.evaluate("Q245208", snapshot).verdict == q245208


def test_affected_evidence_names_the_hard_coded_path_and_the_missing_dll(snapshot_of):
    verdict = kb_rules.evaluate("Q197303", snapshot_of("detect_nt4_iis4_nondefault_affected.json"))
    assert verdict.evidence[0] == "IIS 4.0 is installed (Version 4.0)"
    assert verdict.evidence[1] == (
        "IIS is at D:\\Inetsrv (from InstallPath), outside the default path C:\\WINNT\\system32\\inetsrv"
    )
    assert verdict.evidence[2] == (
        "SMTPSVC is registered in the hard-coded default path C:\\WINNT\\System32\\inetsrv, "
        "where smtpsvc.dll is missing"
    )
    assert any(fact.startswith("NNTPSVC is stopped with 2 Service Control Manager") for fact in verdict.evidence)
    assert verdict.raw["services"]["smtp"]["registered_at"] == "default"
    assert verdict.raw["services"]["nntp"]["failure_event_ids"] == [7023, 7023]
    assert verdict.as_fact()["verdict"] == "affected"


def test_fixed_ignores_old_failure_events_of_running_services(snapshot_of):
    snapshot = snapshot_of("detect_nt4_iis4_nondefault_fixed.json")
    assert all(service.failure_events for service in snapshot.installed_services())
    verdict = kb_rules.evaluate("Q197303", snapshot)
    assert verdict.verdict == "fixed"
    assert verdict.raw["services"]["nntp"]["registered_at"] == "iis"


def test_a_correctly_registered_service_stopped_without_failures_is_still_fixed(snapshot_of):
    snapshot = snapshot_of("detect_nt4_iis4_nondefault_fixed.json")
    smtp = replace(snapshot.services["smtp"], state="stopped", failure_events=())
    snapshot = replace(snapshot, services={**snapshot.services, "smtp": smtp})
    assert kb_rules.evaluate("Q197303", snapshot).verdict == "fixed"


def test_a_stopped_service_with_failure_events_is_affected_even_when_registered_correctly(snapshot_of):
    snapshot = snapshot_of("detect_nt4_iis4_nondefault_fixed.json")
    smtp = replace(snapshot.services["smtp"], state="stopped")
    snapshot = replace(snapshot, services={**snapshot.services, "smtp": smtp})
    assert kb_rules.evaluate("Q197303", snapshot).verdict == "affected"


def test_dlls_copied_to_the_default_path_by_hand_are_neither_broken_nor_fixed(snapshot_of):
    # Services registered at the hard-coded path, but someone copied the DLLs there: they run.
    snapshot = snapshot_of("detect_nt4_iis4_nondefault_affected.json")
    services = {
        key: replace(
            service,
            state="running",
            failure_events=(),
            dll_at_install_path=FileProbe(path=service.dll_at_install_path.path, exists=True),
        )
        for key, service in snapshot.services.items()
    }
    verdict = kb_rules.evaluate("Q197303", replace(snapshot, services=services))
    assert verdict.verdict == "undetermined"
    assert any("(default)" in fact for fact in verdict.evidence)


def test_without_install_path_iis_is_located_by_its_host_process(snapshot_of):
    snapshot = snapshot_of("detect_nt4_iis4_nondefault_affected.json")
    snapshot = replace(snapshot, iis=replace(snapshot.iis, install_path=None))
    verdict = kb_rules.evaluate("Q197303", snapshot)
    assert verdict.verdict == "affected"
    assert "IIS is at D:\\Inetsrv (from the IISADMIN image), outside the default path C:\\WINNT\\system32\\inetsrv" in (
        verdict.evidence
    )


def test_iis_3_found_through_the_legacy_key_is_not_applicable(snapshot_of):
    snapshot = snapshot_of("detect_nt4_no_iis.json")
    legacy = IisSnapshot(installed=True, registry_key="HKLM\\SOFTWARE\\Microsoft\\Inetsrv\\CurrentVersion")
    verdict = kb_rules.evaluate("Q197303", replace(snapshot, iis=legacy))
    assert verdict.verdict == "not_applicable"
    assert verdict.evidence == ("IIS 2.0/3.0 is installed; the defect exists only in IIS 4.0",)


def test_unknown_windows_directory_is_undetermined(snapshot_of):
    snapshot = snapshot_of("detect_nt4_iis4_nondefault_affected.json")
    verdict = kb_rules.evaluate("Q197303", replace(snapshot, env={}))
    assert verdict.verdict == "undetermined"
    assert "the Windows directory (%windir%) is unknown" in verdict.evidence


def test_undetermined_lists_the_reads_that_failed(snapshot_of):
    verdict = kb_rules.evaluate("Q197303", snapshot_of("detect_nt4_inetstp_access_denied.json"))
    assert verdict.evidence == (
        "the IIS setup registry keys could not be read",
        "read failed: inetstp: registry.read: Requested registry access is not allowed. (access_denied, Win32 error 5)",
    )


def test_unknown_kb_is_refused(snapshot_of):
    with pytest.raises(ValueError, match="Q999999"):
        kb_rules.evaluate("Q999999", snapshot_of("detect_nt4_no_iis.json"))
    assert kb_rules.SUPPORTED_KBS == ("Q197303", "Q245208")
