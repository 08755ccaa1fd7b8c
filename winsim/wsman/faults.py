"""Decides, request by request, whether a host misbehaves (drop, HTTP 500, hang) and how slow it is."""

from __future__ import annotations

import dataclasses
import random
import threading

from winsim.wsman.settings import FaultRule


@dataclasses.dataclass
class _ArmedRule:
    rule: FaultRule
    fired: int = 0

    def limit(self) -> int | None:
        if self.rule.on_request is not None:
            return self.rule.count or 1
        return self.rule.count


class FaultPlan:
    def __init__(self, rules: list[FaultRule], latency_ms: int, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._rules: list[_ArmedRule] = []
        self._seen = 0
        self.latency_ms = latency_ms
        self.replace(rules, latency_ms)

    def replace(self, rules: list[FaultRule], latency_ms: int | None = None) -> None:
        """Install new rules; their request count starts again from 1."""
        with self._lock:
            self._rules = [_ArmedRule(rule) for rule in rules]
            self._seen = 0
            if latency_ms is not None:
                if latency_ms < 0:
                    raise ValueError("latency_ms must be >= 0")
                self.latency_ms = latency_ms

    def next_request(self) -> str | None:
        """Count one HTTP request and return the fault action to inflict on it, if any (first rule wins)."""
        with self._lock:
            self._seen += 1
            for armed in self._rules:
                limit = armed.limit()
                if limit is not None and armed.fired >= limit:
                    continue
                if self._fires(armed.rule):
                    armed.fired += 1
                    return armed.rule.action
            return None

    def _fires(self, rule: FaultRule) -> bool:
        if rule.on_request is not None:
            return rule.on_request <= self._seen < rule.on_request + (rule.count or 1)
        return self._random.random() < float(rule.probability or 0.0)
