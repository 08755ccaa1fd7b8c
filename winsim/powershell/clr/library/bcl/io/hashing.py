"""System.Security.Cryptography hash algorithms: HashAlgorithm (ComputeHash over bytes or a Stream,
TransformBlock/TransformFinalBlock, Hash), SHA256Managed, SHA256CryptoServiceProvider, SHA1Managed,
SHA1CryptoServiceProvider, MD5CryptoServiceProvider.

Where the host says so: the managed implementations refuse to run when Windows' FIPS policy is on
(HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa FIPSAlgorithmPolicy / FipsAlgorithmPolicy\\Enabled), and the
SHA-256 CryptoServiceProvider (System.Core, .NET 3.5) needs .NET Framework 3.5 installed on CLR 2.0
(HKLM\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v3.5 Install = 1); CLR 4 always has it."""

from __future__ import annotations

import hashlib

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import (
    ArgumentNullException,
    InvalidOperationException,
    NotSupportedException,
    ObjectDisposedException,
    SystemException,
    declare_exception,
)
from winsim.powershell.clr.library.bcl.io.stream import check_buffer
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method

CryptographicException = declare_exception("System.Security.Cryptography.CryptographicException", SystemException,
                                           "Error occurred during a cryptographic operation.", -2146233296)
CryptographicUnexpectedOperationException = declare_exception(
    "System.Security.Cryptography.CryptographicUnexpectedOperationException", CryptographicException,
    "Error occurred during a cryptographic operation.", -2146233295)
PlatformNotSupportedException = declare_exception("System.PlatformNotSupportedException", NotSupportedException,
                                                  "Operation is not supported on this platform.", -2146233031)

LSA = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa"
NET35 = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\NET Framework Setup\NDP\v3.5"
NOT_FIPS = "This implementation is not part of the Windows Platform FIPS validated cryptographic algorithms."
_CHUNK = 4096


def _registry(rt):
    host = getattr(rt, "host", None)
    return getattr(host, "registry", None)


def fips_enforced(rt) -> bool:
    registry = _registry(rt)
    if registry is None:
        return False
    return registry.read(LSA, "FIPSAlgorithmPolicy", 0) == 1 or \
        registry.read(LSA + r"\FipsAlgorithmPolicy", "Enabled", 0) == 1


def dotnet35_installed(rt) -> bool:
    """System.Core is there: CLR 4 ships it; on CLR 2.0 it comes with .NET Framework 3.5."""
    from winsim.powershell.clr.exceptions import clr_major
    if getattr(rt, "clr_version", None) and clr_major(rt) >= 4:
        return True
    registry = _registry(rt)
    return registry is None or registry.read(NET35, "Install", 0) == 1


@clr_type("System.Security.Cryptography.HashAlgorithm",
          interfaces=("System.IDisposable", "System.Security.Cryptography.ICryptoTransform"))
class HashAlgorithm:
    algorithm = "sha256"

    def __init__(self) -> None:
        self.state = hashlib.new(self.algorithm)
        self.final: bytes | None = None
        self.disposed = False

    def _open(self) -> None:
        if self.disposed:
            raise ObjectDisposedException(None, "Cannot access a disposed object.")

    def _finish(self, data: bytes = b"") -> values.ByteArray:
        self.state.update(data)
        self.final = self.state.digest()
        self.state = hashlib.new(self.algorithm)
        return values.ByteArray(self.final)

    @method("ComputeHash", "byte[]", returns="byte[]")
    def compute_bytes(self, rt, data):
        self._open()
        if data is None:
            raise ArgumentNullException(None, "buffer")
        return self._finish(bytes(data))

    @method("ComputeHash", "byte[]", "int", "int", returns="byte[]")
    def compute_range(self, rt, data, offset, count):
        self._open()
        check_buffer(data, offset, count)
        return self._finish(bytes(data[offset:offset + count]))

    @method("ComputeHash", "System.IO.Stream", returns="byte[]")
    def compute_stream(self, rt, stream):
        self._open()
        if stream is None:
            raise ArgumentNullException(None, "inputStream")
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            self.state.update(chunk)
        return self._finish()

    @method("TransformBlock", "byte[]", "int", "int", "byte[]", "int", returns="int")
    def transform_block(self, rt, data, offset, count, output, output_offset):
        self._open()
        check_buffer(data, offset, count)
        chunk = bytes(data[offset:offset + count])
        self.state.update(chunk)
        if output is not None and (output is not data or output_offset != offset):
            output[output_offset:output_offset + count] = chunk
        return count

    @method("TransformFinalBlock", "byte[]", "int", "int", returns="byte[]")
    def transform_final_block(self, rt, data, offset, count):
        self._open()
        check_buffer(data, offset, count)
        chunk = bytes(data[offset:offset + count])
        self._finish(chunk)
        return values.ByteArray(chunk)

    @getter("Hash", "byte[]")
    def hash(self, rt):
        self._open()
        if self.final is None:
            raise CryptographicUnexpectedOperationException("Hash must be finalized before the hash value is "
                                                            "retrieved.")
        return values.ByteArray(self.final)

    @getter("HashSize", "int")
    def hash_size(self, rt):
        return self.state.digest_size * 8

    @getter("InputBlockSize", "int")
    @getter("OutputBlockSize", "int")
    def block_size(self, rt):
        return 1

    @getter("CanReuseTransform", "bool")
    @getter("CanTransformMultipleBlocks", "bool")
    def yes(self, rt):
        return True

    @method("Initialize")
    def initialize(self, rt):
        self.state, self.final = hashlib.new(self.algorithm), None

    @method("Clear")
    def clear(self, rt):
        self.disposed = True


def _declare(full_name: str, base: str, algorithm: str, managed: bool, needs_35: bool = False) -> type:
    """managed: refused under the FIPS policy; needs_35: needs .NET Framework 3.5."""
    def create(rt):
        if managed and fips_enforced(rt):
            raise InvalidOperationException(NOT_FIPS)
        if needs_35 and not dotnet35_installed(rt):
            raise PlatformNotSupportedException("The specified cryptographic algorithm is not supported on this "
                                                "platform.")
        return cls()

    cls = type(full_name.rsplit(".", 1)[-1], (HashAlgorithm,), {
        "algorithm": algorithm, "__module__": __name__, "create": constructor()(staticmethod(create))})
    return clr_type(full_name, base=base, interfaces=())(cls)


@clr_type("System.Security.Cryptography.SHA256", base="System.Security.Cryptography.HashAlgorithm")
class SHA256(HashAlgorithm):
    @method("Create", returns="System.Security.Cryptography.SHA256", static=True)
    def create(rt):
        if fips_enforced(rt):
            raise InvalidOperationException(NOT_FIPS)
        return SHA256Managed()


@clr_type("System.Security.Cryptography.SHA1", base="System.Security.Cryptography.HashAlgorithm")
class SHA1(HashAlgorithm):
    algorithm = "sha1"

    @method("Create", returns="System.Security.Cryptography.SHA1", static=True)
    def create(rt):
        return SHA1CryptoServiceProvider()


@clr_type("System.Security.Cryptography.MD5", base="System.Security.Cryptography.HashAlgorithm")
class MD5(HashAlgorithm):
    algorithm = "md5"

    @method("Create", returns="System.Security.Cryptography.MD5", static=True)
    def create(rt):
        if fips_enforced(rt):
            raise InvalidOperationException(NOT_FIPS)
        return MD5CryptoServiceProvider()


SHA256Managed = _declare("System.Security.Cryptography.SHA256Managed", "System.Security.Cryptography.SHA256",
                         "sha256", managed=True)
SHA256CryptoServiceProvider = _declare("System.Security.Cryptography.SHA256CryptoServiceProvider",
                                       "System.Security.Cryptography.SHA256", "sha256", managed=False, needs_35=True)
SHA1Managed = _declare("System.Security.Cryptography.SHA1Managed", "System.Security.Cryptography.SHA1", "sha1",
                       managed=True)
SHA1CryptoServiceProvider = _declare("System.Security.Cryptography.SHA1CryptoServiceProvider",
                                     "System.Security.Cryptography.SHA1", "sha1", managed=False)
# MD5 is not FIPS-approved: its CryptoServiceProvider refuses too
MD5CryptoServiceProvider = _declare("System.Security.Cryptography.MD5CryptoServiceProvider",
                                    "System.Security.Cryptography.MD5", "md5", managed=True)
