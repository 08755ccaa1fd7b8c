"""System.Security.Cryptography's keyed hashes (HMACSHA256, HMACSHA1, HMACMD5: ComputeHash and the
TransformBlock protocol over a Key) and RNGCryptoServiceProvider (cryptographically random bytes)."""

from __future__ import annotations

import hashlib
import hmac
import os

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import ArgumentNullException
from winsim.powershell.clr.library.bcl.io.hashing import HashAlgorithm
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter


@clr_type("System.Security.Cryptography.KeyedHashAlgorithm", base="System.Security.Cryptography.HashAlgorithm")
class KeyedHashAlgorithm(HashAlgorithm):
    """The hash state is an HMAC over the current Key; setting the Key restarts it."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = bytes(key) if key is not None else os.urandom(64)
        super().__init__()

    def _restart(self) -> None:
        self.state = hmac.new(self.key, digestmod=getattr(hashlib, self.algorithm))

    def _finish(self, data: bytes = b"") -> values.ByteArray:
        self.state.update(data)
        self.final = self.state.digest()
        self._restart()
        return values.ByteArray(self.final)

    @method("Initialize")
    def initialize_keyed(self, rt):
        self._restart()
        self.final = None

    @getter("Key", "byte[]")
    def get_key(self, rt):
        return values.ByteArray(self.key)

    @setter("Key", "byte[]")
    def set_key(self, rt, key):
        if key is None:
            raise ArgumentNullException(None, "value")
        self.key = bytes(key)
        self._restart()


def _declare(full_name: str, algorithm: str) -> type:
    def __init__(self, key=None):
        KeyedHashAlgorithm.__init__(self, key)
        self._restart()

    def create(rt):
        return cls()

    def create_keyed(rt, key):
        if key is None:
            raise ArgumentNullException(None, "key")
        return cls(key)

    cls = type(full_name.rsplit(".", 1)[-1], (KeyedHashAlgorithm,), {
        "algorithm": algorithm, "__module__": __name__, "__init__": __init__,
        "create": constructor()(staticmethod(create)),
        "create_keyed": constructor("byte[]")(staticmethod(create_keyed))})
    return clr_type(full_name, base="System.Security.Cryptography.KeyedHashAlgorithm", interfaces=())(cls)


HMACSHA256 = _declare("System.Security.Cryptography.HMACSHA256", "sha256")
HMACSHA1 = _declare("System.Security.Cryptography.HMACSHA1", "sha1")
HMACMD5 = _declare("System.Security.Cryptography.HMACMD5", "md5")


@clr_type("System.Security.Cryptography.RNGCryptoServiceProvider", interfaces=("System.IDisposable",))
class RNGCryptoServiceProvider:
    @constructor()
    @staticmethod
    def create(rt):
        return RNGCryptoServiceProvider()

    @method("GetBytes", "byte[]")
    def get_bytes(self, rt, data):
        if data is None:
            raise ArgumentNullException(None, "data")
        data[:] = os.urandom(len(data))

    @method("GetNonZeroBytes", "byte[]")
    def get_non_zero_bytes(self, rt, data):
        if data is None:
            raise ArgumentNullException(None, "data")
        data[:] = bytes(b or 1 + (os.urandom(1)[0] % 255) for b in os.urandom(len(data)))
