"""Encoding, MemoryStream, GZipStream and the hash algorithms through the type registry."""

from __future__ import annotations

import gzip
import hashlib
import re
from types import SimpleNamespace

import pytest

from tests.winsim.powershell.bcl_calls import instance, new, prop, static, static_prop
from winsim.powershell.clr import values
from winsim.powershell.clr.enums import EnumValue
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    InvalidOperationException,
    NotSupportedException,
    ObjectDisposedException,
    UnauthorizedAccessException,
)
from winsim.powershell.clr.library.bcl.io.compression import InvalidDataException
from winsim.powershell.clr.library.bcl.io.hashing import PlatformNotSupportedException
from winsim.powershell.clr.typesystem import REGISTRY

COMPRESS = EnumValue("System.IO.Compression.CompressionMode", 1)
DECOMPRESS = EnumValue("System.IO.Compression.CompressionMode", 0)


def encoding(name):
    return static_prop("System.Text.Encoding", name)


def test_utf8_bom_is_only_in_the_preamble():
    utf8 = encoding("UTF8")
    assert bytes(instance(utf8, "GetPreamble")) == b"\xef\xbb\xbf"
    assert bytes(instance(utf8, "GetBytes", "h\u00e9", sig=("string",))) == b"h\xc3\xa9"
    assert instance(utf8, "GetString", values.ByteArray(b"\xef\xbb\xbfa"), sig=("byte[]",)) == "\ufeffa"
    assert instance(utf8, "GetString", values.ByteArray(b"a\xffb"), sig=("byte[]",)) == "a\ufffdb"
    assert bytes(instance(utf8, "GetBytes", "\ud800", sig=("string",))) == b"\xef\xbf\xbd"  # lone surrogate
    plain = new("System.Text.UTF8Encoding", sig=())
    assert bytes(instance(plain, "GetPreamble")) == b""
    assert prop(utf8, "WebName") == "utf-8" and prop(utf8, "CodePage") == 65001


def test_ascii_replaces_non_ascii_with_question_marks():
    ascii_ = encoding("ASCII")
    assert bytes(instance(ascii_, "GetBytes", "caf\u00e9", sig=("string",))) == b"caf?"
    assert instance(ascii_, "GetString", values.ByteArray(b"a\xe9b"), 0, 3, sig=("byte[]", "int", "int")) == "a?b"
    assert bytes(instance(ascii_, "GetPreamble")) == b""


def test_unicode_code_pages_and_errors():
    assert bytes(instance(encoding("Unicode"), "GetBytes", "A", sig=("string",))) == b"A\x00"
    assert bytes(instance(encoding("BigEndianUnicode"), "GetPreamble")) == b"\xfe\xff"
    # the ANSI code page maps best-fit: a letter it lacks becomes its base letter, others '?'
    assert bytes(instance(encoding("Default"), "GetBytes", "\u20ac\u0101\u4e00", sig=("string",))) == b"\x80a?"
    assert instance(encoding("Default"), "GetString", values.ByteArray(b"\x80\x81"), sig=("byte[]",)) == "\u20ac\x81"
    oem = static("System.Text.Encoding", "GetEncoding", 437, sig=("int",))
    assert instance(oem, "GetString", values.ByteArray(b"\xc4"), sig=("byte[]",)) == "\u2500"
    assert prop(static("System.Text.Encoding", "GetEncoding", "iso-8859-1", sig=("string",)), "CodePage") == 28591
    with pytest.raises(ArgumentException, match=re.escape("'klingon' is not a supported encoding name.")):
        static("System.Text.Encoding", "GetEncoding", "klingon", sig=("string",))
    with pytest.raises(NotSupportedException, match=re.escape("No data is available for encoding 1234.")):
        static("System.Text.Encoding", "GetEncoding", 1234, sig=("int",))
    with pytest.raises(ArgumentNullException) as raised:
        instance(encoding("UTF8"), "GetBytes", None, sig=("string",))
    assert raised.value.param_name == "s"


def test_memory_stream_read_write_seek():
    stream = new("System.IO.MemoryStream", sig=())
    instance(stream, "Write", values.ByteArray(b"hello"), 0, 5)
    assert prop(stream, "Position") == 5 and prop(stream, "Length") == 5
    instance(stream, "Seek", values.Int64(1), EnumValue("System.IO.SeekOrigin", 0))
    buffer = values.ByteArray(3)
    assert instance(stream, "Read", buffer, 0, 3) == 3 and bytes(buffer) == b"ell"
    assert instance(stream, "ReadByte") == ord("o") and instance(stream, "ReadByte") == -1
    instance(stream, "SetLength", values.Int64(2))
    assert bytes(instance(stream, "ToArray")) == b"he"
    instance(stream, "Close")
    assert bytes(instance(stream, "ToArray")) == b"he"
    with pytest.raises(ObjectDisposedException):
        instance(stream, "ReadByte")


def test_memory_stream_over_an_array_is_fixed_size_and_shares_it():
    data = values.ByteArray(b"abc")
    stream = new("System.IO.MemoryStream", data, sig=("byte[]",))
    instance(stream, "WriteByte", values.Byte(ord("X")))
    assert bytes(data) == b"Xbc"
    instance(stream, "Seek", values.Int64(0), EnumValue("System.IO.SeekOrigin", 2))
    with pytest.raises(NotSupportedException, match=re.escape("Memory stream is not expandable.")):
        instance(stream, "WriteByte", values.Byte(1))
    with pytest.raises(UnauthorizedAccessException):
        instance(stream, "GetBuffer")
    read_only = new("System.IO.MemoryStream", data, False, sig=("byte[]", "bool"))
    assert prop(read_only, "CanWrite") is False
    with pytest.raises(NotSupportedException):
        instance(read_only, "WriteByte", values.Byte(1))


def test_gzip_round_trip_and_bad_data():
    target = new("System.IO.MemoryStream", sig=())
    zipper = new("System.IO.Compression.GZipStream", target, COMPRESS, True,
                 sig=("System.IO.Stream", "System.IO.Compression.CompressionMode", "bool"))
    payload = values.ByteArray(b"agent " * 100)
    instance(zipper, "Write", payload, 0, len(payload))
    instance(zipper, "Close")
    packed = bytes(instance(target, "ToArray"))
    assert gzip.decompress(packed) == bytes(payload) and len(packed) < len(payload)
    source = new("System.IO.MemoryStream", values.ByteArray(gzip.compress(b"xyz")), sig=("byte[]",))
    unzipper = new("System.IO.Compression.GZipStream", source, DECOMPRESS,
                   sig=("System.IO.Stream", "System.IO.Compression.CompressionMode"))
    buffer = values.ByteArray(10)
    assert instance(unzipper, "Read", buffer, 0, 10) == 3 and bytes(buffer[:3]) == b"xyz"
    with pytest.raises(NotSupportedException):
        instance(unzipper, "WriteByte", values.Byte(0))
    broken = new("System.IO.Compression.GZipStream", new("System.IO.MemoryStream", values.ByteArray(b"nope"),
                                                         sig=("byte[]",)), DECOMPRESS,
                 sig=("System.IO.Stream", "System.IO.Compression.CompressionMode"))
    with pytest.raises(InvalidDataException, match=re.escape("The magic number in GZip header is not correct.")):
        instance(broken, "ReadByte")


def test_sha256_over_bytes_and_streams():
    sha = new("System.Security.Cryptography.SHA256Managed")
    data = values.ByteArray(b"abc")
    assert bytes(instance(sha, "ComputeHash", data, sig=("byte[]",))) == hashlib.sha256(b"abc").digest()
    assert bytes(prop(sha, "Hash")) == hashlib.sha256(b"abc").digest() and prop(sha, "HashSize") == 256
    stream = new("System.IO.MemoryStream", values.ByteArray(b"x" * 10000), sig=("byte[]",))
    assert bytes(instance(sha, "ComputeHash", stream, sig=("System.IO.Stream",))) == \
        hashlib.sha256(b"x" * 10000).digest()
    incremental = new("System.Security.Cryptography.SHA256CryptoServiceProvider")
    instance(incremental, "TransformBlock", data, 0, 2, None, 0)
    instance(incremental, "TransformFinalBlock", data, 2, 1)
    assert bytes(prop(incremental, "Hash")) == hashlib.sha256(b"abc").digest()
    md5 = new("System.Security.Cryptography.MD5CryptoServiceProvider")
    assert bytes(instance(md5, "ComputeHash", data, sig=("byte[]",))) == hashlib.md5(b"abc").digest()
    assert REGISTRY.get("System.Security.Cryptography.SHA256Managed").is_assignable_to(
        REGISTRY.get("System.Security.Cryptography.HashAlgorithm"))


class _Registry:
    def __init__(self, entries):
        self.entries = entries

    def read(self, path, name, default=None):
        return self.entries.get((path, name), default)


def test_host_policy_fips_and_missing_dotnet35():
    lsa = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa"
    fips = SimpleNamespace(host=SimpleNamespace(registry=_Registry({(lsa, "FIPSAlgorithmPolicy"): 1})))
    managed = REGISTRY.get("System.Security.Cryptography.SHA256Managed").constructors[0]
    with pytest.raises(InvalidOperationException, match="not part of the Windows Platform FIPS validated"):
        managed.impl(fips)
    provider = REGISTRY.get("System.Security.Cryptography.SHA256CryptoServiceProvider").constructors[0]
    bare = SimpleNamespace(host=SimpleNamespace(registry=_Registry({})))
    with pytest.raises(PlatformNotSupportedException):
        provider.impl(bare)
    assert managed.impl(bare) is not None
    clr4 = SimpleNamespace(host=SimpleNamespace(registry=_Registry({})), clr_version="4.0.30319.42000")
    assert provider.impl(clr4) is not None  # System.Core ships with CLR 4


def test_stream_copy_to_is_dotnet_4():
    source = new("System.IO.MemoryStream", values.ByteArray(b"x" * 100000), sig=("byte[]",))
    target = new("System.IO.MemoryStream", sig=())
    copy = REGISTRY.get("System.IO.Stream").find_methods("CopyTo", static=False)[0]
    assert copy.impl.__clr_since__ == (4, 0)
    copy.impl(source, None, target)
    assert len(instance(target, "ToArray")) == 100000


def test_hmac_and_random_bytes():
    import hmac
    key = values.ByteArray(b"key")
    mac = new("System.Security.Cryptography.HMACSHA256", key, sig=("byte[]",))
    message = values.ByteArray(b"message")
    expected = hmac.new(b"key", b"message", hashlib.sha256).digest()
    assert bytes(instance(mac, "ComputeHash", message, sig=("byte[]",))) == expected
    assert bytes(instance(mac, "ComputeHash", message, sig=("byte[]",))) == expected  # the key stays
    assert REGISTRY.get("System.Security.Cryptography.HMACSHA256").is_assignable_to(
        REGISTRY.get("System.Security.Cryptography.HashAlgorithm"))
    generator = new("System.Security.Cryptography.RNGCryptoServiceProvider")
    buffer = values.ByteArray(32)
    instance(generator, "GetNonZeroBytes", buffer)
    assert 0 not in buffer
