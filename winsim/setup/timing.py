"""How long modelled setup work takes: a start-up delay, then a little per file it copies or deletes.

The default is a second and a half plus 50 ms per file, scaled by the environment variable
WINSIM_SETUP_TIME_SCALE (a number >= 0; 0 makes setup instant), so a fleet under test can run fast.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

SCALE_VARIABLE = "WINSIM_SETUP_TIME_SCALE"
START_SECONDS = 1.5
PER_FILE_SECONDS = 0.05


@dataclass(frozen=True)
class SetupTiming:
    start_seconds: float = START_SECONDS
    per_file_seconds: float = PER_FILE_SECONDS

    @classmethod
    def instant(cls) -> SetupTiming:
        return cls(0.0, 0.0)

    @classmethod
    def from_environment(cls) -> SetupTiming:
        text = os.environ.get(SCALE_VARIABLE, "").strip()
        try:
            scale = float(text) if text else 1.0
        except ValueError as error:
            raise ValueError(f"{SCALE_VARIABLE} must be a number >= 0, not {text!r}") from error
        if scale < 0:
            raise ValueError(f"{SCALE_VARIABLE} must be a number >= 0, not {text!r}")
        return cls(START_SECONDS * scale, PER_FILE_SECONDS * scale)

    @property
    def paced(self) -> bool:
        return self.start_seconds > 0 or self.per_file_seconds > 0

    def starting(self) -> None:
        if self.start_seconds > 0:
            time.sleep(self.start_seconds)

    def file_done(self) -> None:
        if self.per_file_seconds > 0:
            time.sleep(self.per_file_seconds)
