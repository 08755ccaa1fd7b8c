# Records how long each play of a playbook run takes, for the benchmarks (not shipped).
from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: play_timer
type: aggregate
short_description: write each play's wall time to the file named by BENCH_PLAY_TIMES
description: [Benchmarks only.]
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "play_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._plays: list[dict] = []
        self._started = time.monotonic()

    def _close(self) -> None:
        if self._plays and "seconds" not in self._plays[-1]:
            self._plays[-1]["seconds"] = time.monotonic() - self._plays[-1].pop("_start")

    def v2_playbook_on_play_start(self, play) -> None:
        self._close()
        self._plays.append({"name": play.get_name(), "_start": time.monotonic()})

    def v2_playbook_on_stats(self, stats) -> None:
        self._close()
        target = os.environ.get("BENCH_PLAY_TIMES")
        if target:
            with open(target, "w", encoding="utf-8") as handle:
                json.dump({"plays": self._plays, "total": time.monotonic() - self._started}, handle)
