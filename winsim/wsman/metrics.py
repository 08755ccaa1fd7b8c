"""Per-host transport counters, safe to bump from every connection thread."""

from __future__ import annotations

import threading
from collections import Counter

# Why a request was refused with 401, as counted in `auth_failure_reasons`.
BAD_CREDENTIALS = "bad_credentials"
BASIC_DISABLED = "basic_disabled"
NEGOTIATE_DISABLED = "negotiate_disabled"
UNENCRYPTED_REFUSED = "unencrypted_refused"  # AllowUnencrypted=false and the body came in clear over HTTP
UNSUPPORTED_SCHEME = "unsupported_scheme"


class EndpointMetrics:
    COUNTERS = ("requests", "bytes_in", "bytes_out", "auth_failures", "auth_handshakes", "encrypted_requests",
                "soap_faults", "faults_injected")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._auth_failure_reasons: Counter[str] = Counter()
        self._operations: Counter[str] = Counter()

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._counts[name] += amount

    def auth_failure(self, reason: str) -> None:
        with self._lock:
            self._counts["auth_failures"] += 1
            self._auth_failure_reasons[reason] += 1

    def operation(self, name: str) -> None:
        with self._lock:
            self._operations[name] += 1

    def snapshot(self, shells_open: int) -> dict:
        with self._lock:
            result: dict = {name: self._counts[name] for name in self.COUNTERS}
            result["auth_failure_reasons"] = dict(self._auth_failure_reasons)
            result["operations"] = dict(self._operations)
        result["shells_open"] = shells_open
        return result
