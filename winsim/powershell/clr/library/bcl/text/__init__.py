"""System.Text: Encoding; StringBuilder; regular expressions; Convert and BitConverter."""

from winsim.powershell.clr.library.bcl.text import bitconverter, convert, encoding, regex, stringbuilder

__all__ = ["bitconverter", "convert", "encoding", "regex", "stringbuilder"]
