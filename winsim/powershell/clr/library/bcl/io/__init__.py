"""Streams (Stream, MemoryStream), compression (GZipStream, DeflateStream), hash algorithms, HMACs and
RNGCryptoServiceProvider."""

from winsim.powershell.clr.library.bcl.io import compression, hashing, keyed_hashing, stream

__all__ = ["compression", "hashing", "keyed_hashing", "stream"]
