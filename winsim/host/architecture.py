"""Processor architectures a simulated host can have, and what each means to Windows."""

from __future__ import annotations

from dataclasses import dataclass

from winsim.host import pe


@dataclass(frozen=True)
class Architecture:
    key: str                        # how specs and overrides name it
    processor_architecture: str     # %PROCESSOR_ARCHITECTURE% of a native process
    pe_machine: int                 # COFF Machine of native images
    runs_x86_in_wow64: bool         # 64-bit Windows runs i386 images in WOW64 (they see PROCESSOR_ARCHITEW6432)
    processor_identifier: str
    processor_level: str
    minimum_os: str                 # the first Windows version shipped for it (NT 4.0 is "4.0")
    last_os: str | None = None      # the last one, when the platform was dropped

    def can_run(self, machine: int) -> bool:
        return machine == self.pe_machine or (self.runs_x86_in_wow64 and machine == pe.MACHINE_I386)


ARCHITECTURES: dict[str, Architecture] = {
    "x86": Architecture("x86", "x86", pe.MACHINE_I386, False,
                        "x86 Family 6 Model 5 Stepping 2, GenuineIntel", "6", "4.0"),
    "alpha": Architecture("alpha", "ALPHA", pe.MACHINE_ALPHA, False,
                          "Alpha Family 21164 Model 5 Revision 1, Digital Equipment Corporation", "21164",
                          "4.0", last_os="4.0"),
    "ia64": Architecture("ia64", "IA64", pe.MACHINE_IA64, True,
                         "ia64 Family 31 Model 1 Stepping 5, GenuineIntel", "31", "5.1"),
    "amd64": Architecture("amd64", "AMD64", pe.MACHINE_AMD64, True,
                          "AMD64 Family 15 Model 5 Stepping 10, AuthenticAMD", "15", "5.2"),
}


def architecture_of(processor_architecture: str) -> Architecture:
    """The architecture a PROCESSOR_ARCHITECTURE value names (Windows spells it x86/X86, ALPHA, AMD64...)."""
    for arch in ARCHITECTURES.values():
        if arch.processor_architecture.casefold() == processor_architecture.casefold():
            return arch
    raise KeyError(processor_architecture)
