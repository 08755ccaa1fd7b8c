"""What iis_component decides from one read of a host, replayed from read batches a simulated iis4-kb host
answered: before anything (SMTP and NNTP failing with 7023), after a removal (a backup waits to be restored),
and after the reinstall (everything running, backups restored)."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_plan import (
    ADDITIVE,
    MIRROR,
    Request,
    decide,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_read import (
    ReadRequest,
    build_read_batch,
    parse_read,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError

MEDIA = "C:\\NTOPTPAK\\x86"
BOTH = ("smtp", "nntp")
FAILING = "component_read_kb_installed_failing.json"
PENDING = "component_read_removed_backup_pending.json"
CONVERGED = "component_read_converged.json"


@pytest.fixture
def host(agent_fixture):
    """host(fixture, request, edit=None) -> the plan decided from the recorded answer to the request's batch."""

    def read(name, request, edit=None, *, check_mode=False):
        document = copy.deepcopy(agent_fixture(name))
        if edit:
            edit({result["id"]: result for result in document["results"]})
        read_request = ReadRequest(request.names, request.datasets(), request.source, request.overrides)
        ids = build_read_batch(read_request).ids
        # The recording answered the batch for both components; a narrower request asks a subset of it.
        document["results"] = [result for result in document["results"] if result["id"] in ids]
        view = parse_read(AgentResponse.from_document(document, ids), read_request)
        return view, decide(request, view, check_mode=check_mode)

    return read


def test_absent_on_a_failing_host_backs_up_all_three_data_sets_then_removes(host):
    view, plan = host(FAILING, Request(BOTH, "absent", MEDIA))
    assert plan.before == {"smtp": "stopped", "nntp": "stopped"}
    assert plan.remove == BOTH and plan.install == ()
    assert [(i.key, i.mode, i.files, i.live_path, i.backup_path) for i in plan.backups] == [
        ("mailroot", MIRROR, 3, "C:\\Inetpub\\Mailroot", "C:\\IisHotfix\\Backup\\Mailroot"),
        ("metabase", MIRROR, 1, "C:\\Inetsrv", "C:\\IisHotfix\\Backup\\metabase"),
        ("nntpfile", MIRROR, 5, "C:\\Inetpub\\nntpfile", "C:\\IisHotfix\\Backup\\nntpfile"),
    ]
    assert plan.after == {"smtp": "absent", "nntp": "absent"}
    assert plan.changed
    assert view.source_path == {"type": "REG_SZ", "value": "D:\\"}


def test_removing_nntp_alone_backs_up_only_what_nntp_owns(host):
    _, plan = host(FAILING, Request(("nntp",), "absent", MEDIA, backup_dir="%SystemDrive%\\Keep"))
    assert plan.remove == ("nntp",)
    assert [(i.key, i.backup_path) for i in plan.backups] == [
        ("nntpfile", "C:\\Keep\\nntpfile"),
        ("metabase", "C:\\Keep\\metabase"),
    ]


def test_without_preserve_data_nothing_is_backed_up(host):
    _, plan = host(FAILING, Request(BOTH, "absent", MEDIA, preserve_data=False))
    assert plan.backups == () and plan.remove == BOTH


def test_a_removal_needs_the_installation_point(host):
    with pytest.raises(IisHotfixError, match="source is required to remove SMTP, NNTP"):
        host(FAILING, Request(BOTH, "absent", None))


def test_an_installation_point_without_the_component_inf_is_refused(host):
    def no_ims(results):
        results["source_Ims.inf"]["value"]["exists"] = False

    with pytest.raises(IisHotfixError, match=r"C:\\NTOPTPAK\\x86 lacks Ims.inf; nothing was changed"):
        host(FAILING, Request(BOTH, "absent", MEDIA), no_ims)


def test_check_mode_plans_a_removal_from_a_point_that_is_not_staged_yet(host):
    """In a check-mode run of the role the staging task only predicts; the removal plan must still be shown."""

    def no_ims(results):
        results["source_Ims.inf"]["value"]["exists"] = False

    _, plan = host(FAILING, Request(BOTH, "absent", MEDIA), no_ims, check_mode=True)
    assert plan.remove == BOTH
    assert any("lacks Ims.inf for now" in warning for warning in plan.warnings)


def test_only_iis_4_is_handled(host):
    def iis5(results):
        results["inetstp"]["value"]["values"]["MajorVersion"]["value"] = 5

    with pytest.raises(IisHotfixError, match=r"needs IIS 4\.0; this host has IIS 5"):
        host(FAILING, Request(BOTH, "absent", MEDIA), iis5)


def test_present_on_a_failing_host_starts_the_installed_services(host):
    _, plan = host(FAILING, Request(BOTH, "present", MEDIA))
    assert plan.install == () and plan.restores == ()
    assert plan.start == BOTH and plan.after == {"smtp": "running", "nntp": "running"}


def test_present_without_starting_leaves_an_installed_host_alone(host):
    _, plan = host(FAILING, Request(BOTH, "present", MEDIA, start_services=False))
    assert not plan.changed


def test_after_a_removal_present_installs_and_restores_what_was_backed_up(host):
    _, plan = host(PENDING, Request(BOTH, "present", MEDIA))
    assert plan.before == {"smtp": "absent", "nntp": "absent"}
    assert plan.install == BOTH and plan.start == BOTH
    assert [(i.key, i.files, i.backup_path, i.live_path) for i in plan.restores] == [
        ("mailroot", 3, "C:\\IisHotfix\\Backup\\Mailroot", "C:\\Inetpub\\Mailroot"),
        ("metabase", 1, "C:\\IisHotfix\\Backup\\metabase", "C:\\Inetsrv"),
        ("nntpfile", 5, "C:\\IisHotfix\\Backup\\nntpfile", "C:\\Inetpub\\nntpfile"),
    ]


def test_after_a_removal_absent_has_nothing_to_do(host):
    _, plan = host(PENDING, Request(BOTH, "absent", MEDIA))
    assert not plan.changed and plan.backups == ()


def test_a_pending_backup_is_left_alone_without_preserve_data(host):
    _, plan = host(PENDING, Request(BOTH, "present", MEDIA, preserve_data=False))
    assert plan.install == BOTH and plan.restores == ()
    assert any("C:\\IisHotfix\\Backup\\Mailroot waits to be restored" in warning for warning in plan.warnings)


def test_a_damaged_backup_stops_the_run_before_anything_is_touched(host):
    def damage(results):
        results["backup_mailroot"]["value"]["files"][0]["sha256"] = "0" * 64

    with pytest.raises(IisHotfixError, match=r"Mailroot in .* does not verify .*nothing was changed"):
        host(PENDING, Request(BOTH, "present", MEDIA), damage)


def test_a_converged_host_needs_nothing(host):
    _, plan = host(CONVERGED, Request(BOTH, "present", MEDIA))
    assert not plan.changed
    assert plan.before == plan.after == {"smtp": "running", "nntp": "running"}


def test_a_new_removal_after_a_restore_starts_a_fresh_backup_where_asked(host):
    _, plan = host(CONVERGED, Request(BOTH, "absent", MEDIA, backup_dir="D:\\Next"))
    assert [(i.key, i.mode, i.backup_path) for i in plan.backups] == [
        ("mailroot", MIRROR, "D:\\Next\\Mailroot"),
        ("metabase", MIRROR, "D:\\Next\\metabase"),
        ("nntpfile", MIRROR, "D:\\Next\\nntpfile"),
    ]


def test_removing_again_before_a_restore_adds_to_the_waiting_backup(host):
    def still_waiting(results):
        for entry in results["record"]["value"]["value"]["datasets"].values():
            entry["status"] = "removed"

    _, plan = host(CONVERGED, Request(BOTH, "absent", MEDIA, backup_dir="D:\\Next"), still_waiting)
    assert {(i.key, i.mode, i.backup_path) for i in plan.backups} == {
        ("mailroot", ADDITIVE, "C:\\IisHotfix\\Backup\\Mailroot"),
        ("metabase", ADDITIVE, "C:\\IisHotfix\\Backup\\metabase"),
        ("nntpfile", ADDITIVE, "C:\\IisHotfix\\Backup\\nntpfile"),
    }


def test_a_relative_backup_dir_is_refused(host):
    with pytest.raises(IisHotfixError, match=r"backup_dir .backups. is not a usable Windows path: it is not"):
        host(FAILING, Request(BOTH, "absent", MEDIA, backup_dir="backups"))


@pytest.mark.parametrize(("backup_dir", "says"), [
    ("C:\\InetPub\\Mailroot\\bk", r"backup_dir C:\\InetPub\\Mailroot\\bk lies inside the SMTP Mailroot"),
    ("C:\\Inetpub", r"holds the NNTP store \(nntpfile\)"),
])
def test_a_backup_inside_the_data_removal_deletes_is_refused_before_anything(host, backup_dir, says):
    # issue 9, item 1: the backup was reported done, then removal deleted Mailroot with the backup in it.
    with pytest.raises(IisHotfixError, match=says):
        host(FAILING, Request(BOTH, "absent", MEDIA, backup_dir=backup_dir))


def test_an_installation_point_inside_the_data_is_refused(host):
    with pytest.raises(IisHotfixError, match=r"installation point \(source\) .* lies inside the NNTP store"):
        host(FAILING, Request(BOTH, "absent", "C:\\Inetpub\\nntpfile\\ip"))


def test_a_backup_inside_the_installation_point_is_refused(host):
    with pytest.raises(IisHotfixError, match=r"backup_dir C:.*NTOPTPAK.*bk lies inside the installation point"):
        host(FAILING, Request(BOTH, "absent", MEDIA, backup_dir=MEDIA + "\\bk"))
