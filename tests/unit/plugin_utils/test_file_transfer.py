"""Transfer batches: bounded in bytes, chunks contiguous and chained, the last chunk verified,
every write behind the host lock, the lock released at the end or after a failure."""

from __future__ import annotations

import base64
import hashlib

import pytest

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import file_transfer
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.staging import plan_staging
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.staging_tree import local_tree

DEST = "C:\\Stage"
LOCK = file_transfer.HostLock("install_point-x", "me@controller")


@pytest.fixture
def source(tmp_path):
    (tmp_path / "big.cab").write_bytes(bytes(range(256)) * (10 * 1024 + 7))  # about 2.5 MiB
    (tmp_path / "i386").mkdir()
    (tmp_path / "i386" / "Ims.inf").write_bytes(b"[Version]\r\n" * 3000)
    (tmp_path / "empty.txt").write_bytes(b"")
    return tmp_path


def staging_plan(source):
    return plan_staging(local_tree(source), None, dest_root=DEST, delete_extra=False, checksum="sha256")


def operations(step):
    return step.batch.to_request()["operations"]


def test_uploads_are_bounded_chained_verified_and_complete(source):
    plan = staging_plan(source)
    steps = list(file_transfer.upload_steps(plan, source, LOCK))
    assert len(steps) >= 2
    written: dict[str, bytearray] = {}
    for step in steps:
        ops = operations(step)
        assert ops[0] == {"id": "lock", "op": "lock.acquire",
                          "args": {"name": "install_point-x", "owner": "me@controller", "ttl_seconds": 900}}
        assert step.batch.content_bytes <= file_transfer.BATCH_BYTES
        ids = [op["id"] for op in ops]
        previous_by_path: dict[str, str] = {}
        for op in ops[1:]:
            # Every write waits for the lock or for the previous chunk of the same file in this batch.
            assert op["args"]["after"]["$ref"] in {"lock", previous_by_path.get(op["args"].get("path"))}
            assert ids.index(op["args"]["after"]["$ref"]) < ids.index(op["id"])
            if op["op"] != "file.write":
                continue
            path, args = op["args"]["path"], op["args"]
            data = written.setdefault(path, bytearray())
            assert args["offset"] == len(data), "chunks are contiguous"
            data.extend(base64.b64decode(args["content"]))
            previous_by_path[path] = op["id"]
            local = source.joinpath(*path[len(DEST) + 1 :].split("\\")).read_bytes()
            final = len(data) == len(local)
            assert ("expect_sha256" in args) is final
            if final:
                assert args["expect_sha256"] == hashlib.sha256(local).hexdigest()
                assert args["mtime"].endswith("Z")
    for path, data in written.items():
        assert bytes(data) == source.joinpath(*path[len(DEST) + 1 :].split("\\")).read_bytes()
    assert set(written) == {f"{DEST}\\big.cab", f"{DEST}\\i386\\Ims.inf", f"{DEST}\\empty.txt"}
    first = operations(steps[0])
    assert [op["op"] for op in first[1:3]] == ["dir.create", "dir.create"]
    assert first[1]["args"]["path"] == DEST and first[2]["args"]["path"] == f"{DEST}\\i386"


def test_host_copies_go_file_by_file_behind_the_lock():
    from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.staging_tree import Tree, TreeFile

    source = Tree("s", tuple(TreeFile(f"f{i}.cab", 100 * 1024 * 1024, "a" * 64) for i in range(6)), ())
    plan = plan_staging(source, Tree("d", (), ()), dest_root=DEST, delete_extra=False, checksum="sha256")
    steps = list(file_transfer.copy_steps(plan, "\\\\fs\\media\\op4", LOCK))
    assert [len(step.writes) for step in steps] == [2, 2, 2]
    op = operations(steps[0])[1]
    assert op == {
        "id": op["id"],
        "op": "file.copy",
        "args": {"src": "\\\\fs\\media\\op4\\f0.cab", "dest": f"{DEST}\\f0.cab", "overwrite": True,
                 "create_parents": True, "verify": True, "after": {"$ref": "lock", "pointer": ""}},
    }


class FakeRunner:
    """Answers every operation ok, except the ids or operations it is told to fail."""

    def __init__(self, fail=(), lock_holder=None):
        self.fail = set(fail)
        self.lock_holder = lock_holder
        self.batches = []

    def run(self, batch):
        request = batch.to_request()
        self.batches.append(request)
        results = []
        failed = set()
        for op in request["operations"]:
            after = op["args"].get("after", {}).get("$ref")
            if op["op"] == "lock.acquire" and self.lock_holder:
                error = {"op": op["op"], "kind": "lock_held", "code": 33,
                         "message": f"lock 'x' is held by '{self.lock_holder}' until 2030-01-01T00:00:00Z"}
            elif after in failed:
                error = {"op": op["op"], "kind": "unresolved_reference", "code": None, "message": "skipped"}
            elif op["args"].get("path", "").endswith(tuple(self.fail)) and op["op"] == "file.write":
                error = {"op": op["op"], "kind": "disk_full", "code": 112, "message": "There is not enough space."}
            else:
                results.append({"id": op["id"], "op": op["op"], "ok": True, "value": {"changed": True}})
                continue
            failed.add(op["id"])
            results.append({"id": op["id"], "op": op["op"], "ok": False, "error": error})
        document = {"protocol": "win-primitive-agent/1", "ok": True, "agent": {}, "results": results, "error": None}
        return AgentResponse.from_document(document, batch.ids)


def test_run_reports_files_and_bytes_and_releases_the_lock_in_the_last_batch(source):
    plan = staging_plan(source)
    runner = FakeRunner()
    seen = []
    report = file_transfer.run_steps(runner, file_transfer.upload_steps(plan, source, LOCK), lock=LOCK,
                                     files_total=3, bytes_total=plan.bytes_to_copy, on_progress=seen.append)
    assert sorted(report.files_copied) == ["big.cab", "empty.txt", "i386\\Ims.inf"]
    assert report.bytes_copied == plan.bytes_to_copy
    assert report.batches_sent == len(runner.batches) == len(seen) >= 2
    assert seen[-1].files_done == 3 and seen[-1].bytes_done == plan.bytes_to_copy
    assert [op["op"] for op in runner.batches[-1]["operations"]][-1] == "lock.release"
    assert all(op["op"] != "lock.release" for batch in runner.batches[:-1] for op in batch["operations"])


def test_a_failed_write_stops_the_transfer_names_the_file_and_releases_the_lock(source):
    plan = staging_plan(source)
    runner = FakeRunner(fail=["big.cab"])
    with pytest.raises(IisHotfixError, match=r"big.cab: file.write: There is not enough space. \(disk_full"):
        file_transfer.run_steps(runner, file_transfer.upload_steps(plan, source, LOCK), lock=LOCK,
                                files_total=3, bytes_total=plan.bytes_to_copy)
    # The batch that failed, then only a release.
    assert len(runner.batches) == 2
    assert [op["op"] for op in runner.batches[-1]["operations"]] == ["lock.release"]


def test_a_lock_held_by_another_run_is_reported_with_its_holder(source):
    plan = staging_plan(source)
    runner = FakeRunner(lock_holder="other@ctl")
    with pytest.raises(IisHotfixError, match=r"another run works on this host: .*held by 'other@ctl'"):
        file_transfer.run_steps(runner, file_transfer.upload_steps(plan, source, LOCK), lock=LOCK,
                                files_total=3, bytes_total=plan.bytes_to_copy)
    assert len(runner.batches) == 2
