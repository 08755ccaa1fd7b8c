"""Manifests of the data at risk, verification of copies against them, and backup/restore plans."""

from __future__ import annotations

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.data_backup import (
    FileEntry,
    Manifest,
    plan_additive,
    plan_mirror,
    plan_restore,
    same_listing,
    verify,
)

A = "a" * 64
B = "b" * 64
C = "c" * 64


def tree(files, directories=(), root="C:\\Inetpub\\Mailroot"):
    """A file.tree value as the protocol describes it."""
    return {
        "path": root,
        "exists": True,
        "file_count": len(files),
        "total_bytes": sum(size for _, size, _ in files),
        "directories": [
            {"path": path, "mtime": "2000-01-01T00:00:00Z", "reparse_point": False} for path in directories
        ],
        "files": [
            {"path": path, "size": size, "mtime": "2000-01-03T09:01:00Z", "sha256": sha} for path, size, sha in files
        ],
    }


MAILROOT = Manifest.from_tree(
    tree([("Queue\\b.EML", 20, B), ("Queue\\a.EML", 10, A), ("Pickup\\c.EML", 5, C)], ["Queue", "Pickup", "Drop"])
)


def test_a_tree_manifest_counts_files_and_bytes_in_a_stable_order():
    assert MAILROOT.file_count == 3 and MAILROOT.total_bytes == 35
    assert [entry.path for entry in MAILROOT.files] == ["Pickup\\c.EML", "Queue\\a.EML", "Queue\\b.EML"]
    assert MAILROOT.directories == ("Drop", "Pickup", "Queue")


def test_junctions_are_not_data_of_the_tree():
    value = tree([("Queue\\a.EML", 10, A)], ["Queue"])
    value["directories"].append({"path": "Elsewhere", "mtime": "2000-01-01T00:00:00Z", "reparse_point": True})
    assert Manifest.from_tree(value).directories == ("Queue",)


def test_a_single_file_manifest_comes_from_file_stat():
    stat = {
        "path": "C:\\Inetsrv\\Metabase.bin",
        "exists": True,
        "type": "file",
        "size": 720,
        "sha256": A,
        "mtime": "2000-01-01T00:00:00Z",
    }
    assert Manifest.from_stat(stat, "Metabase.bin").files == (FileEntry("Metabase.bin", 720, A, stat["mtime"]),)
    assert Manifest.from_stat({"path": "C:\\Inetsrv\\Metabase.bin", "exists": False}, "Metabase.bin").files == ()


def test_an_identical_copy_verifies_and_extra_files_do_not_matter():
    copy = Manifest.from_tree(
        tree(
            [("Queue\\a.eml", 10, A), ("Queue\\b.EML", 20, B), ("Pickup\\c.EML", 5, C), ("Queue\\new.EML", 1, A)],
            ["queue", "Pickup", "Drop"],
        )
    )
    result = verify(MAILROOT, copy)
    assert result.ok and result.verified_files == 3
    assert result.describe() == "all 3 files match"


def test_a_missing_file_is_caught_and_named():
    copy = Manifest.from_tree(tree([("Queue\\a.EML", 10, A), ("Pickup\\c.EML", 5, C)], ["Queue", "Pickup", "Drop"]))
    result = verify(MAILROOT, copy)
    assert not result.ok
    assert result.missing == ("Queue\\b.EML",) and result.different == ()
    assert result.describe() == "2 of 3 files match; missing: Queue\\b.EML"


def test_a_changed_hash_or_size_is_caught():
    copy = Manifest.from_tree(
        tree([("Queue\\a.EML", 10, C), ("Queue\\b.EML", 21, B), ("Pickup\\c.EML", 5, C)], ["Queue", "Pickup", "Drop"])
    )
    result = verify(MAILROOT, copy)
    assert result.different == ("Queue\\a.EML", "Queue\\b.EML")
    assert "size or SHA-256 differ: Queue\\a.EML, Queue\\b.EML" in result.describe()


def test_a_copy_without_hashes_never_verifies():
    unhashed = Manifest(files=(FileEntry("Queue\\a.EML", 10, None),))
    assert not verify(unhashed, unhashed).ok


def test_missing_directories_count_unless_asked_not_to():
    copy = Manifest.from_tree(
        tree([("Queue\\a.EML", 10, A), ("Queue\\b.EML", 20, B), ("Pickup\\c.EML", 5, C)], ["Queue", "Pickup"])
    )
    assert verify(MAILROOT, copy).missing_directories == ("Drop",)
    assert verify(MAILROOT, copy, check_directories=False).ok


def test_a_location_that_is_gone_misses_everything_and_long_lists_are_cut():
    many = Manifest(files=tuple(FileEntry(f"Queue\\{index}.EML", 1, A) for index in range(8)))
    result = verify(many, None)
    assert len(result.missing) == 8
    assert result.describe().endswith("Queue\\3.EML, Queue\\4.EML and 3 more")


def test_restore_copies_only_what_is_missing_or_different_with_the_folders_it_needs():
    live = Manifest.from_tree(tree([("Queue\\a.EML", 10, A), ("Pickup\\c.EML", 5, B)], ["Queue", "Pickup"]))
    plan = plan_restore(MAILROOT, live)
    assert [entry.path for entry in plan.files] == ["Pickup\\c.EML", "Queue\\b.EML"]
    assert plan.bytes == 25 and plan.unchanged == 1
    assert plan.directories == ("Drop", "Pickup", "Queue")
    assert not plan_restore(MAILROOT, MAILROOT).needed


def test_restore_after_a_removal_that_deleted_the_tree_brings_everything_back():
    nested = Manifest(files=(FileEntry("root\\local\\general\\1.nws", 9, A),))
    plan = plan_restore(nested, None)
    assert plan.files == nested.files
    assert plan.directories == ("root", "root\\local", "root\\local\\general")


def test_a_mirror_copies_every_live_file_and_deletes_what_is_no_longer_live():
    plan = plan_mirror(MAILROOT, ["Queue\\a.EML", "QUEUE\\B.eml", "Queue\\delivered.EML"])
    assert plan.copy == MAILROOT.files
    assert plan.delete == ("Queue\\delivered.EML",)
    assert plan.manifest == MAILROOT and plan.directories == MAILROOT.directories


def test_an_additive_backup_never_replaces_what_waits_to_be_restored():
    pending = Manifest(
        files=(FileEntry("Queue\\a.EML", 10, A), FileEntry("Queue\\old.EML", 3, C)), directories=("Queue",)
    )
    live = Manifest(
        files=(FileEntry("Queue\\a.EML", 10, B), FileEntry("Queue\\new.EML", 4, C)), directories=("Queue", "Drop")
    )
    plan = plan_additive(live, pending)
    assert [entry.path for entry in plan.copy] == ["Queue\\new.EML"]
    assert [entry.path for entry in plan.superseded] == ["Queue\\a.EML"]
    assert plan.delete == ()
    assert [(entry.path, entry.sha256) for entry in plan.manifest.files] == [
        ("Queue\\a.EML", A),
        ("Queue\\new.EML", C),
        ("Queue\\old.EML", C),
    ]
    assert plan.directories == ("Drop",) and plan.manifest.directories == ("Drop", "Queue")
    assert plan.bytes == 14


def test_the_quick_listing_check_compares_sizes_and_write_times():
    assert same_listing(
        MAILROOT,
        Manifest.from_tree(tree([("queue\\a.eml", 10, None), ("Queue\\b.EML", 20, None), ("Pickup\\c.EML", 5, None)])),
    )
    touched = tree([("Queue\\a.EML", 10, A), ("Queue\\b.EML", 20, B), ("Pickup\\c.EML", 5, C)])
    touched["files"][0]["mtime"] = "2001-01-01T00:00:00Z"
    assert not same_listing(MAILROOT, Manifest.from_tree(touched))
    assert not same_listing(MAILROOT, None)
    assert not same_listing(MAILROOT, Manifest(files=MAILROOT.files[:2]))
