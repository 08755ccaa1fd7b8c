"""System.Text: Encoding; StringBuilder; regular expressions; Convert and BitConverter."""

from winsim.powershell.clr.library.bcl.text import encoding

__all__ = ["encoding"]
