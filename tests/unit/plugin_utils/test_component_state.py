"""The host-side record of iis_component: what it stores, how it stays under the agent's size limit, and
how a backup is checked against it (count and hash mismatches caught, also when only a digest fits)."""

from __future__ import annotations

import hashlib
import json

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_state import (
    COPYING,
    REMOVED,
    RESTORED,
    VERIFIED,
    DatasetRecord,
    PendingSetup,
    StateRecord,
    manifest_digest,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.data_backup import FileEntry, Manifest

AGENT_RECORD_LIMIT = 65536  # docs/agent-protocol.md, state.write


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def manifest(count, prefix="Queue\\NTFS_"):
    return Manifest(
        files=tuple(FileEntry(f"{prefix}{index:05d}.EML", 100 + index, sha(str(index))) for index in range(count)),
        directories=("Queue",),
    )


def record(found_manifest, status=REMOVED):
    return DatasetRecord.for_manifest(
        "mailroot", "C:\\Inetpub\\Mailroot", "C:\\B\\Mailroot", status, "2026-01-01T00:00:00Z", found_manifest
    )


def test_the_digest_ignores_order_and_case_of_listing_but_not_content():
    files = manifest(3)
    reordered = Manifest(files=tuple(reversed(files.files)))
    assert manifest_digest(files) == manifest_digest(reordered)
    changed = Manifest(files=(*files.files[:2], FileEntry(files.files[2].path, files.files[2].size, sha("x"))))
    assert manifest_digest(files) != manifest_digest(changed)


def test_a_record_survives_the_round_trip_through_the_host():
    pending = PendingSetup(
        "remove",
        ("smtp", "nntp"),
        "C:\\Point",
        "C:\\B\\iis_component_remove.txt",
        "2026-01-01T00:00:00Z",
        {"type": "REG_SZ", "value": "D:\\"},
    )
    state = StateRecord().with_dataset(record(manifest(3))).with_setup(pending)
    stored = json.loads(json.dumps(state.as_value()))
    assert StateRecord.from_value(stored) == state
    assert stored["datasets"]["mailroot"]["file_count"] == 3


def test_status_changes_touch_only_the_named_data_sets():
    state = StateRecord().with_dataset(record(manifest(1), VERIFIED))
    changed = state.with_status(["mailroot", "nntpfile"], REMOVED, "2026-02-02T00:00:00Z")
    assert changed.datasets["mailroot"].status == REMOVED
    assert changed.datasets["mailroot"].updated == "2026-02-02T00:00:00Z"
    assert set(changed.datasets) == {"mailroot"}


def test_a_large_manifest_keeps_only_its_summary_and_stays_under_the_agent_limit():
    big = record(manifest(2000))
    value = StateRecord().with_dataset(big).as_value()
    assert len(json.dumps(value, separators=(",", ":"))) < AGENT_RECORD_LIMIT
    stored = value["datasets"]["mailroot"]
    assert "files" not in stored and stored["file_count"] == 2000
    assert StateRecord.from_value(value).datasets["mailroot"].manifest is None


@pytest.mark.parametrize("with_list", [True, False], ids=["file list", "digest only"])
def test_the_backup_check_catches_a_missing_file_and_a_changed_hash(with_list):
    recorded = record(manifest(5))
    if not with_list:
        recorded = DatasetRecord.from_value("mailroot", recorded.as_value(with_lists=False))
    assert recorded.check_backup(manifest(5)).ok

    fewer = Manifest(files=manifest(5).files[:4])
    missing = recorded.check_backup(fewer)
    assert not missing.ok
    if with_list:
        assert missing.detail == "4 of 5 files match; missing: Queue\\NTFS_00004.EML"
    else:
        assert missing.detail == "4 files in the backup, 5 recorded"

    tampered_files = list(manifest(5).files)
    tampered_files[1] = FileEntry(tampered_files[1].path, tampered_files[1].size, sha("tampered"))
    tampered = recorded.check_backup(Manifest(files=tuple(tampered_files)))
    assert not tampered.ok
    if with_list:
        assert tampered.detail == "4 of 5 files match; size or SHA-256 differ: Queue\\NTFS_00001.EML"
    else:
        assert tampered.detail == "the 5 files differ from the recorded sizes or SHA-256 hashes"


def test_a_backup_that_is_gone_or_unfinished_does_not_verify():
    assert record(manifest(2)).check_backup(None).detail == "the backup folder C:\\B\\Mailroot is gone"
    unfinished = record(manifest(2), COPYING)
    assert not unfinished.check_backup(manifest(2)).ok


def test_only_known_records_are_accepted():
    with pytest.raises(ValueError):
        StateRecord.from_value({"version": 2})
    value = StateRecord().with_dataset(record(manifest(1), RESTORED)).as_value()
    value["datasets"]["mailroot"]["status"] = "lost"
    with pytest.raises(ValueError):
        StateRecord.from_value(value)
