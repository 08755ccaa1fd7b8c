"""winsim: a simulated fleet of Windows hosts that speaks real WinRM (test and demo tooling, not shipped)."""
