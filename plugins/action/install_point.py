# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin of winops.iis_hotfix.install_point: stage an installation point, copying only
what is missing or different. One read-only round trip decides; writes follow in bounded batches."""

from __future__ import annotations

import hashlib
import typing as t
from pathlib import Path

from ansible.errors import AnsibleError

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.action_base import (
    AgentActionBase,
    TaskContext,
    TaskOutcome,
    display,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_batch import AgentBatch
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.file_transfer import (
    HostLock,
    Progress,
    copy_steps,
    run_steps,
    upload_steps,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.inf_copy_list import missing_from_media
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_records import run_owner
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.staging import (
    CHECKSUMS,
    contains,
    host_directory,
    plan_staging,
    staging_diff,
    volume_root,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.staging_tree import (
    Tree,
    fold_case,
    host_tree,
    local_tree,
)

TREE_LIMITS = {"max_files": 200000, "max_bytes": 2**36, "max_depth": 64}


def _read_tree(response: t.Any, op_id: str, option: str, path: str) -> Tree | None:
    result = response[op_id]
    if not result.ok and result.error is not None and result.error.code == 267:
        raise IisHotfixError(f"{option} is a file on the host, not a directory: {path}")
    return host_tree(result.unwrap())


def _check_media_complete(root: Path, tree: Tree) -> None:
    """Option Pack media (with setup.inf) must hold every file its INFs copy: checked before anything is
    written, so that incomplete media never gets as far as the removal."""
    names = {file.path.lower(): file.path for file in tree.files if "\\" not in file.path}

    def read_text(name: str) -> str | None:
        found = names.get(name.lower())
        if found is None:
            return None
        data = (root / found).read_bytes()
        return data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("latin-1")

    missing = missing_from_media(read_text, names.values())
    if missing:
        raise IisHotfixError(
            f"src is incomplete Option Pack media: it lacks {', '.join(missing[:20])}; setup would fail after "
            "the removal. Nothing was written", missing=missing)


def _size(count: int) -> str:
    return f"{count / 1048576:.1f} MiB" if count >= 1048576 else f"{count} bytes"


class ActionModule(AgentActionBase):
    ARGUMENT_SPEC = {
        "src": {"type": "str"},
        "remote_src": {"type": "str"},
        "dest": {"type": "str", "required": True},
        "delete_extra": {"type": "bool", "default": False},
        "checksum": {"type": "str", "default": "sha256", "choices": list(CHECKSUMS)},
    }
    ARGUMENT_RULES = {"mutually_exclusive": [["src", "remote_src"]], "required_one_of": [["src", "remote_src"]]}

    def _local_source(self, src: str) -> Path:
        try:
            return Path(self._find_needle("files", src))
        except AnsibleError as exc:
            raise IisHotfixError(f"src not found on the controller: {src} ({exc.message})") from exc

    def run_task(self, context: TaskContext) -> TaskOutcome:
        args = context.args
        dest = host_directory(args["dest"], "dest")
        checksum = args["checksum"]
        remote_root = local_root = local_source = None
        if args["remote_src"] is not None:
            remote_root = host_directory(args["remote_src"], "remote_src")
            if contains(remote_root, dest) or contains(dest, remote_root):
                raise IisHotfixError(f"remote_src and dest must not overlap: {remote_root}, {dest}")
        else:
            # Read and hashed before the host is contacted: bad names fail before anything is touched.
            local_root = self._local_source(args["src"])
            local_source = local_tree(local_root)
            _check_media_complete(local_root, local_source)

        batch = AgentBatch()
        batch.file_stat(volume_root(dest), op_id="dest_volume")
        batch.file_tree(dest, sha256=checksum == "sha256", op_id="dest", **TREE_LIMITS)
        if remote_root is not None:
            batch.file_tree(remote_root, sha256=checksum == "sha256", op_id="source", **TREE_LIMITS)
        response = context.client.run(batch)
        volume = response["dest_volume"]
        if not volume.ok or not (volume.value or {}).get("exists"):
            why = volume.error.describe() if volume.error else "it does not exist there"
            raise IisHotfixError(f"dest {dest} is on {volume_root(dest)}, which the host cannot reach ({why}); "
                                 "nothing was written")
        existing = _read_tree(response, "dest", "dest", dest)
        source = local_source
        if remote_root is not None:
            source = _read_tree(response, "source", "remote_src", remote_root)
        if source is None:
            raise IisHotfixError(f"remote_src does not exist on the host: {remote_root}")
        if not source.files:
            raise IisHotfixError(f"{'remote_src' if remote_root else 'src'} holds no files to stage: "
                                 f"{remote_root or local_root}; nothing was written")

        plan = plan_staging(source, existing, dest_root=dest, delete_extra=args["delete_extra"], checksum=checksum)
        result: dict[str, t.Any] = {
            "dest": dest,
            "checksum": checksum,
            "files_copied": plan.files_to_copy,
            "bytes_copied": plan.bytes_to_copy,
            "files_deleted": list(plan.files_deleted),
            "directories_created": ([] if plan.dest_exists else [dest]) + [f"{dest}\\{d}" for d in plan.directories],
            "files_unchanged": len(plan.unchanged),
        }
        diff = staging_diff(plan, existing) if plan.changed else None
        if context.check_mode or not plan.changed:
            return TaskOutcome(changed=plan.changed, diff=diff, result=result)

        lock = HostLock(
            name="install_point-" + hashlib.sha256(fold_case(dest).encode("utf-8")).hexdigest()[:16],
            owner=run_owner(),
        )
        if local_root is not None:
            steps = upload_steps(plan, local_root, lock)
        else:
            steps = copy_steps(plan, t.cast(str, remote_root), lock)

        def show(progress: Progress) -> None:
            if progress.batches_sent > 1 or progress.files_done < progress.files_total:
                display.display(
                    f"install_point [{context.host}]: {progress.files_done}/{progress.files_total} files, "
                    f"{_size(progress.bytes_done)} of {_size(progress.bytes_total)} copied"
                )

        report = run_steps(
            context.client,
            steps,
            lock=lock,
            files_total=len(plan.copies),
            bytes_total=plan.bytes_to_copy,
            on_progress=show,
        )
        result.update(files_copied=report.files_copied, bytes_copied=report.bytes_copied)
        return TaskOutcome(changed=True, diff=diff, result=result)
