# Copyright: (c) 2026, winops.iis_hotfix contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Carries out an iis_component plan on a host, one agent batch per step, resuming what an
interrupted run left.

Steps (each only when the plan asks for it), and the record kept on the host after each:
1. finish a setup run an earlier task started: wait for it, put SourcePath back, record the outcome;
   then read the host again and decide again;
2. back up (stop the services, read the live data hashed, copy, read the copy back hashed and
   compare): the record then says ``verified``;
3. setup: record the pending run (with the SourcePath value to put back), write the answer file,
   point SourcePath at the installation point, start setup detached, poll it, put SourcePath back,
   read setup's errors and the services;
4. restore (install only): stop the services, copy back what is missing or different, read the live
   data back hashed and compare with the manifest: the record then says ``restored``;
5. start IIS Admin and the services, read their states and the failure events logged since the
   task began; release the lock.
"""

from __future__ import annotations

import ntpath
import time
import typing as t
from dataclasses import dataclass, field

from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import agent_retry
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils import component_steps as steps
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_client import AgentClient
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.agent_protocol import AgentResponse
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_data import DataSteps
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_plan import (
    Plan,
    Request,
    decide,
    resolve_backup_dir,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_read import (
    COMPONENTS,
    HostView,
    ReadRequest,
    build_read_batch,
    parse_read,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_report import RunReport
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.component_state import (
    INSTALL,
    REMOVE,
    REMOVED,
    SETUP_RECORD_NAME,
    PendingSetup,
    StateRecord,
)
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.errors import AgentTransportError, IisHotfixError
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.path_rules import variables
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.run_lock import run_under_lock
from ansible_collections.winops.iis_hotfix.plugins.plugin_utils.setup_answer import (
    SETUP_LOGS,
    answer_file_text,
    describe_failure,
    newest_log,
    setup_errors,
)


@dataclass
class Session:
    """The run's connection to the host: the client, the lock owner, and the record as last written."""

    client: AgentClient
    owner: str
    record: StateRecord
    written: dict[str, t.Any] | None
    locked: bool = False
    delete_setup_record: bool = False
    round_trips: int = 0
    # Services this run stopped that ran before: started again when the run fails half-way.
    restart: list[str] = field(default_factory=list)

    def run(self, batch: steps.LockedBatch) -> AgentResponse:
        self.round_trips += 1
        response = run_under_lock(self.client, batch, batch.lock_id, name=steps.LOCK_NAME, owner=self.owner,
                                  ttl_seconds=steps.LOCK_TTL_SECONDS)
        lock = response.results.get(batch.lock_id)
        self.locked = self.locked or bool(lock and lock.ok)
        return response

    def locked_batch(self) -> tuple[steps.LockedBatch, str]:
        """A batch that takes the lock and writes the record when it changed; returns it and the id
        the next writes should follow."""
        batch = steps.LockedBatch(self.owner)
        after = batch.lock_id
        value = self.record.as_value()
        if value != self.written:
            after = steps.add_record_write(batch, value, after=after)
            self.written = value
        if self.delete_setup_record:
            steps.add_setup_record_delete(batch, after=after)
            self.delete_setup_record = False
        return batch, after


class RunFailed(IisHotfixError):
    """The run failed after it had changed the host; ``result`` tells what it did up to then."""

    def __init__(self, message: str, result: t.Mapping[str, t.Any], details: t.Mapping[str, t.Any]) -> None:
        super().__init__(message, **details)
        self.result = dict(result)


@dataclass
class SetupOutcome:
    exit_code: int | None
    duration: float
    errors: list[str] = field(default_factory=list)
    installed: dict[str, bool] = field(default_factory=dict)
    log: str | None = None  # the setup log written last


class ComponentRun:
    def __init__(
        self,
        client: AgentClient,
        request: Request,
        *,
        check_mode: bool,
        owner: str,
        progress: t.Callable[[str], None] = lambda message: None,
        monotonic: t.Callable[[], float] = time.monotonic,
        sleep: t.Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.request = request
        self.check_mode = check_mode
        self.owner = owner
        self.progress = progress
        self.monotonic = monotonic
        self.sleep = sleep
        self.reads = 0
        self.read_request = ReadRequest(
            components=request.names,
            datasets=request.datasets(),
            source=request.source,
            overrides=request.overrides,
            env_names=tuple(variables(request.backup_dir)),
        )

    def run(self) -> dict[str, t.Any]:
        """Read, decide, and (outside check mode) act; the task result as a dict."""
        view = self._read()
        plan = decide(self.request, view, check_mode=self.check_mode)
        report = RunReport.for_plan(self.request, plan, view)
        if self.check_mode or not plan.changed:
            return report.result(changed=plan.changed, check_mode=self.check_mode, round_trips=self.reads)
        session = Session(self.client, self.owner, view.record, written=view.record.as_value())
        began = view.time_utc  # the host's clock when the task began: failure events after it are new
        try:
            if plan.finish_setup:
                self._finish_earlier_setup(session, view, report)
                view = self._read()
                plan = decide(self.request, view)
                session.record = view.record
                session.written = view.record.as_value()
            self._carry_out(session, plan, view, report, began)
        except IisHotfixError as exc:
            self._abandon(session)
            if not session.round_trips or isinstance(exc, AgentTransportError):
                raise  # a lost connection makes the host unreachable: the next run resumes
            result = report.result(changed=True, check_mode=False, round_trips=session.round_trips + self.reads)
            raise RunFailed(exc.message, result, exc.details) from exc
        return report.result(changed=True, check_mode=False, round_trips=session.round_trips + self.reads)

    # -- steps ----------------------------------------------------------------------------------------

    def _carry_out(self, session: Session, plan: Plan, view: HostView, report: RunReport, began: str) -> None:
        data = DataSteps(session, self.request, view, report)
        if plan.backups:
            data.back_up(plan)
        if plan.remove or plan.install:
            self._setup(session, plan, view, report)
        stopped: list[str] = []
        if plan.restores:
            stopped = data.restore(plan)
        to_start = [COMPONENTS[name].service for name in plan.start]
        to_start += [name for name in stopped if name not in to_start]
        self._finish(session, to_start, began, report)

    def _setup(self, session: Session, plan: Plan, view: HostView, report: RunReport) -> None:
        action = REMOVE if plan.remove else INSTALL
        names = plan.remove or plan.install
        source = t.cast(str, self.request.source)
        answer_path = ntpath.join(resolve_backup_dir(self.request, view), f"iis_component_{action}.txt")
        pending = PendingSetup(action, names, source, answer_path, view.time_utc, view.source_path)
        session.record = session.record.with_setup(pending)
        batch, after = session.locked_batch()
        steps.add_setup_start(
            batch,
            after=after,
            source=source,
            answer_path=answer_path,
            answer_text=answer_file_text({COMPONENTS[name].subcomponent: action == INSTALL for name in names}),
        )
        started = self.monotonic()
        label = f"{action} {', '.join(COMPONENTS[name].label for name in names)}"
        response, process = self._start(session, batch)
        if response is None:
            self.progress(f"setup ({label}) started, pid {process['pid']} (its answer was lost on the way)")
        else:
            process = self._check_started(session, pending, report, response, label)
            self.progress(f"setup ({label}) started, pid {process['pid']}")
        exit_code = self._wait(session, int(process["pid"]), process.get("start_time"), label, started)
        self._conclude_setup(session, pending, report, action, names, exit_code, started)

    def _check_started(self, session: Session, pending: PendingSetup, report: RunReport, response: AgentResponse,
                       label: str) -> dict[str, t.Any]:
        try:
            steps.check(response, ("record", "answer", "source_path", "start"), f"starting setup ({label})")
        except IisHotfixError:
            self._close_setup(session, pending, report)
            raise
        if not response["setup_record"].ok:
            report.warnings.append(
                "the setup process could not be recorded on the host; an interrupted run "
                "will not be able to wait for it"
            )
        return response.value("start")

    def _start(self, session: Session, batch: steps.LockedBatch) -> tuple[AgentResponse | None, t.Any]:
        """Send the batch that starts setup; when the link fails, ask the host whether it started (the batch
        runs whole or not at all, in well under a second) and send it again only when it did not."""
        delays = agent_retry.RETRY_DELAYS
        for attempt in range(len(delays) + 1):
            try:
                return session.run(batch), None
            except AgentTransportError:
                if attempt == len(delays):
                    raise
                self.sleep(delays[attempt])
                process = self._started_anyway(session)
                if process is not None:
                    return None, process
        raise AssertionError("unreachable")

    def _started_anyway(self, session: Session) -> dict[str, t.Any] | None:
        """After the batch that starts setup lost its answer: the process it recorded, if it ran that far.
        (The batch runs whole on the host or not at all; only its answer travels the faulty link.)"""
        batch = steps.LockedBatch(self.owner)
        batch.state_read(SETUP_RECORD_NAME, op_id="started")
        response = session.run(batch)
        found = response["started"].value if response["started"].ok else None
        if not isinstance(found, dict) or not found.get("exists") or not isinstance(found.get("value"), dict):
            return None
        return found["value"] if isinstance(found["value"].get("pid"), int) else None

    def _conclude_setup(self, session: Session, pending: PendingSetup, report: RunReport, action: str,
                        names: t.Sequence[str], exit_code: int | None, started: float) -> None:
        outcome = self._close_setup(session, pending, report, exit_code=exit_code, started=started)
        report.setup = {
            "action": action,
            "components": list(names),
            "exit_code": outcome.exit_code,
            "duration": round(outcome.duration, 1),
        }
        if outcome.exit_code != 0:
            raise IisHotfixError(
                describe_failure(outcome.exit_code, outcome.errors, outcome.log),
                exit_code=outcome.exit_code,
                setup_errors=outcome.errors,
            )
        if action == REMOVE:
            session.restart = [name for name in session.restart if name not in {COMPONENTS[n].service for n in names}]
        wrong = [COMPONENTS[name].service for name in names if outcome.installed.get(name) != (action == INSTALL)]
        if wrong:
            state = "still registered" if action == REMOVE else "not registered"
            raise IisHotfixError(f"setup ended with exit code 0 but {', '.join(wrong)} is {state}")

    def _wait(self, session: Session, pid: int, start_time: str | None, label: str, started: float) -> int | None:
        deadline = started + self.request.timeout
        while True:
            remaining = deadline - self.monotonic()
            if remaining <= 0:
                raise IisHotfixError(
                    f"setup ({label}, pid {pid}) is still running after {self.request.timeout} seconds; it carries "
                    "on by itself: run the task again to wait for it and finish the work"
                )
            wait = max(1, min(steps.POLL_WAIT_SECONDS, int(remaining)))
            response = session.run(steps.poll_batch(self.owner, pid, start_time, wait))
            steps.check(response, ("poll",), "polling setup")
            poll = response.value("poll")
            if not poll.get("exists"):
                return None  # no trace of it (a reboot ended it): what it did is read from the host
            if poll.get("state") != "running":
                return poll.get("exit_code")
            self.progress(f"setup ({label}) running for {int(self.monotonic() - started)} s, pid {pid}")

    def _close_setup(
        self,
        session: Session,
        pending: PendingSetup,
        report: RunReport,
        *,
        exit_code: int | None = None,
        started: float | None = None,
    ) -> SetupOutcome:
        """Put SourcePath back, read what setup left, and mark the record (written with the next batch)."""
        batch = session.locked_batch()[0]
        services = [COMPONENTS[name].service for name in pending.components]
        steps.add_setup_finish_reads(batch, pending.saved_source_path, services)
        response = session.run(batch)
        steps.check(response, (), "reading what setup did")
        if not response["source_path"].ok:
            report.warnings.append(
                "SourcePath could not be put back to its value before setup: "
                f"{response['source_path'].error.describe() if response['source_path'].error else 'no detail'}"
            )
        installed = {
            name: bool((response.value(f"service_{COMPONENTS[name].service}") or {}).get("exists"))
            for name in pending.components
        }
        record = session.record.with_setup(None)
        if pending.action == REMOVE:
            gone = {name for name, present in installed.items() if not present}
            at_risk = {key for name in gone for key in COMPONENTS[name].datasets}
            record = record.with_status(
                (key for key, data in record.datasets.items() if key in at_risk and data.status != REMOVED),
                REMOVED,
                pending.requested,
            )
        session.record = record
        session.delete_setup_record = True
        errors = setup_errors(response.value("setup_errors")) if response["setup_errors"].ok else []
        duration = self.monotonic() - started if started is not None else 0.0
        logs = [response[f"setup_log_{index}"].value for index in range(len(SETUP_LOGS))]
        return SetupOutcome(exit_code, duration, errors, installed, newest_log(logs))

    def _finish_earlier_setup(self, session: Session, view: HostView, report: RunReport) -> None:
        pending = t.cast(PendingSetup, view.record.setup)
        label = f"{pending.action} {', '.join(COMPONENTS[name].label for name in pending.components)}"
        process = view.setup_process
        exit_code = process.exit_code if process else None
        if process is not None and process.state == "running":
            self.progress(f"waiting for the setup run ({label}) an earlier task started, pid {process.pid}")
            exit_code = self._wait(session, process.pid, process.start_time, label, self.monotonic())
        outcome = self._close_setup(session, pending, report)
        batch = session.locked_batch()[0]
        steps.check(session.run(batch), ("record", "setup_record_delete"), "recording the earlier setup run")
        if exit_code not in (0, None):
            errors = "; ".join(outcome.errors) or "no error recorded"
            report.warnings.append(
                f"the setup run ({label}) an earlier task started ended with exit code "
                f"{exit_code} ({errors}); this run carries on from what it left"
            )

    def _finish(self, session: Session, services: list[str], began: str, report: RunReport) -> None:
        """The last batch: the record, the services to start and their checks, releasing the lock."""
        batch, after = session.locked_batch()
        if services:
            steps.add_start_services(batch, services, began, after=after)
        steps.add_release(batch, self.owner, after=after)
        response = session.run(batch)
        session.locked = False
        session.restart = []
        doing = "starting the services" if services else "recording the outcome"
        steps.check(response, ("record", "setup_record_delete", *(f"start_{name}" for name in services)), doing)
        if services:
            report.check_started(response, services)

    def _abandon(self, session: Session) -> None:
        """After a failure: write what the record learned and free the lock, as far as the host lets us."""
        if not session.locked:
            return
        try:
            batch, after = session.locked_batch()
            for name in session.restart:
                batch.service_start(name, timeout_seconds=steps.SERVICE_TIMEOUT_SECONDS, after=after)
            steps.add_release(batch, self.owner, after=after)
            session.run(batch)
        except IisHotfixError:
            pass

    def _read(self) -> HostView:
        self.reads += 1
        response = self.client.run(build_read_batch(self.read_request))
        return parse_read(response, self.read_request)
