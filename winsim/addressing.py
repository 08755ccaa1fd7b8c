"""Loopback addresses for simulated hosts: each host gets its own 127.a.b.c, so hundreds share one machine.

Linux routes all of 127.0.0.0/8 to the loopback interface, so any such address can be bound without set-up.
A fleet takes a block 127.A.B.* chosen at random, so fleets started side by side (parallel tests) rarely meet;
the daemon moves to another block if an address turns out to be taken.
"""

from __future__ import annotations

import random

HOSTS_PER_OCTET = 200  # .10 to .209 in each third-octet step


def random_block(rng: random.Random | None = None) -> tuple[int, int]:
    rng = rng or random.SystemRandom()
    return rng.randrange(32, 250), rng.randrange(0, 200)


def address_for(block: tuple[int, int], index: int) -> str:
    """Address of the index-th host (from 0) of a fleet that owns `block`."""
    second, third = block
    step, position = divmod(index, HOSTS_PER_OCTET)
    if third + step > 255:
        raise ValueError("fleet too large for one loopback block")
    return f"127.{second}.{third + step}.{position + 10}"
