"""System.Text.Encoding and the encodings a Windows host has: UTF-8 (with and without a byte order mark),
ASCII (non-ASCII becomes '?'), UTF-16 LE/BE, UTF-32, and the code pages 1252 (Encoding.Default on an en-US
system), 437 (the OEM console code page) and 28591 (ISO-8859-1). Invalid input is replaced, never an error:
.NET 2.0's default fallbacks (U+FFFD for Unicode encodings, '?' for the others)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from winsim.powershell.clr import values
from winsim.powershell.clr.exceptions import (
    ArgumentException,
    ArgumentNullException,
    ArgumentOutOfRangeException,
    NotSupportedException,
)
from winsim.powershell.clr.library.bcl import text_rules
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method


@dataclass(frozen=True)
class Codec:
    code_page: int
    python: str
    web_name: str
    display: str
    preamble: bytes = b""
    single_byte: bool = False
    replacement: str = "\ufffd"   # what undecodable input becomes
    max_bytes: int = 3


UTF8 = Codec(65001, "utf-8", "utf-8", "Unicode (UTF-8)", b"\xef\xbb\xbf")
ASCII = Codec(20127, "ascii", "us-ascii", "US-ASCII", single_byte=True, replacement="?", max_bytes=1)
UTF16LE = Codec(1200, "utf-16-le", "utf-16", "Unicode", b"\xff\xfe", max_bytes=2)
UTF16BE = Codec(1201, "utf-16-be", "utf-16BE", "Unicode (Big-Endian)", b"\xfe\xff", max_bytes=2)
UTF32LE = Codec(12000, "utf-32-le", "utf-32", "Unicode (UTF-32)", b"\xff\xfe\x00\x00", max_bytes=4)
CP1252 = Codec(1252, "cp1252", "Windows-1252", "Western European (Windows)", single_byte=True, replacement="?",
               max_bytes=1)
CP437 = Codec(437, "cp437", "IBM437", "OEM United States", single_byte=True, replacement="?", max_bytes=1)
LATIN1 = Codec(28591, "latin-1", "iso-8859-1", "Western European (ISO)", single_byte=True, replacement="?",
               max_bytes=1)
CODECS = {c.code_page: c for c in (UTF8, ASCII, UTF16LE, UTF16BE, UTF32LE, CP1252, CP437, LATIN1)}
NAMES = {"utf-8": 65001, "utf8": 65001, "unicode-1-1-utf-8": 65001, "us-ascii": 20127, "ascii": 20127,
         "utf-16": 1200, "unicode": 1200, "utf-16le": 1200, "ucs-2": 1200, "utf-16be": 1201, "unicodefffe": 1201,
         "utf-32": 12000, "utf-32le": 12000, "windows-1252": 1252, "cp1252": 1252, "x-ansi": 1252, "ibm437": 437,
         "cp437": 437, "437": 437, "iso-8859-1": 28591, "latin1": 28591, "l1": 28591, "iso_8859-1": 28591}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _units_to_text(text: str) -> str:
    """Pairs UTF-16 surrogates and replaces lone ones with U+FFFD, as .NET's encoders do."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


_C1_SAME = "\x81\x8d\x8f\x90\x9d"  # Windows maps these 1252 bytes to the C1 controls of the same value


def encode(codec: Codec, text: str) -> bytes:
    text = _units_to_text(text)
    if not codec.single_byte:
        return text.encode(codec.python)
    if codec in (ASCII, LATIN1):
        return text.encode(codec.python, "replace")  # '?' for what the encoding lacks
    try:
        return text.encode(codec.python)
    except UnicodeEncodeError:
        return bytes(_best_fit_byte(codec, ch) for ch in text)


def _best_fit_byte(codec: Codec, ch: str) -> int:
    """Code page encodings use Windows' best-fit mapping: an accented letter the code page lacks becomes its
    base letter (approximated by the Unicode decomposition), anything else '?'."""
    if codec is CP1252 and ch in _C1_SAME:
        return ord(ch)
    for candidate in (ch, unicodedata.normalize("NFKD", ch)[:1]):
        try:
            return candidate.encode(codec.python)[0]
        except (UnicodeEncodeError, IndexError):
            continue
    return 0x3F


def decode(codec: Codec, data: bytes) -> str:
    if codec is CP1252:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return "".join(chr(b) if chr(b) in _C1_SAME else bytes([b]).decode("cp1252") for b in data)
    if codec is ASCII:
        return "".join(chr(b) if b < 0x80 else "?" for b in data)
    return data.decode(codec.python, "replace")


def _range(data, index: int, count: int, name: str = "bytes") -> None:
    if index < 0 or count < 0:
        raise ArgumentOutOfRangeException("Non-negative number required.", "index" if index < 0 else "count")
    if len(data) - index < count:
        raise ArgumentOutOfRangeException("Index and count must refer to a location within the buffer.", name)


@clr_type("System.Text.Encoding", interfaces=("System.ICloneable",))
class Encoding:
    def __init__(self, codec: Codec, emit_preamble: bool = True) -> None:
        self.codec = codec
        self.emit_preamble = emit_preamble

    def __repr__(self) -> str:
        return f"Encoding({self.codec.web_name}, preamble={self.emit_preamble})"

    def clr_equals(self, other) -> bool:
        return isinstance(other, Encoding) and other.codec == self.codec and \
            other.emit_preamble == self.emit_preamble

    # Python protocol for other library types (StreamReader, File.WriteAllText...)
    def encode(self, text: str) -> bytes:
        return encode(self.codec, text)

    def decode(self, data: bytes) -> str:
        return decode(self.codec, bytes(data))

    def preamble(self) -> bytes:
        return self.codec.preamble if self.emit_preamble else b""

    @getter("UTF8", "System.Text.Encoding", static=True)
    def utf8(rt):
        return UTF8_BOM

    @getter("ASCII", "System.Text.Encoding", static=True)
    def ascii(rt):
        return ASCII_ENCODING

    @getter("Unicode", "System.Text.Encoding", static=True)
    def unicode(rt):
        return UNICODE

    @getter("BigEndianUnicode", "System.Text.Encoding", static=True)
    def big_endian_unicode(rt):
        return BIG_ENDIAN_UNICODE

    @getter("UTF32", "System.Text.Encoding", static=True)
    def utf32(rt):
        return UTF32

    @getter("Default", "System.Text.Encoding", static=True)
    def default(rt):
        return DEFAULT

    @method("GetEncoding", "int", returns="System.Text.Encoding", static=True)
    def get_encoding_code_page(rt, code_page):
        if not 0 <= code_page <= 65535:
            raise ArgumentOutOfRangeException("Valid values are between 0 and 65535, inclusive.", "codepage")
        if code_page == 0:
            return DEFAULT
        return by_code_page(code_page)

    @method("GetEncoding", "string", returns="System.Text.Encoding", static=True)
    def get_encoding_name(rt, name):
        if name is None:
            raise ArgumentNullException(None, "name")
        code_page = NAMES.get(name.strip().lower())
        if code_page is None:
            raise ArgumentException(f"'{name}' is not a supported encoding name.", "name")
        return by_code_page(code_page)

    @method("Convert", "System.Text.Encoding", "System.Text.Encoding", "byte[]", returns="byte[]", static=True)
    def convert(rt, source, target, data):
        if source is None or target is None or data is None:
            raise ArgumentNullException(None, "srcEncoding" if source is None else "dstEncoding" if target is None
                                        else "bytes")
        return values.ByteArray(target.encode(source.decode(bytes(data))))

    @method("GetBytes", "string", returns="byte[]")
    def get_bytes(self, rt, text):
        if text is None:
            raise ArgumentNullException("String reference not set to an instance of a String.", "s")
        return values.ByteArray(self.encode(text))

    @method("GetBytes", "char[]", returns="byte[]")
    def get_bytes_chars(self, rt, chars):
        if chars is None:
            raise ArgumentNullException("Array cannot be null.", "chars")
        return values.ByteArray(self.encode(text_rules.chars_of(chars)))

    @method("GetBytes", "char[]", "int", "int", returns="byte[]")
    def get_bytes_chars_range(self, rt, chars, index, count):
        if chars is None:
            raise ArgumentNullException("Array cannot be null.", "chars")
        _range(chars, index, count, "chars")
        return values.ByteArray(self.encode(text_rules.chars_of(chars)[index:index + count]))

    @method("GetBytes", "string", "int", "int", "byte[]", "int", returns="int")
    def get_bytes_into(self, rt, text, index, count, target, target_index):
        if text is None or target is None:
            raise ArgumentNullException(None, "s" if text is None else "bytes")
        _range(text, index, count, "s")
        encoded = self.encode(text[index:index + count])
        if target_index < 0 or target_index > len(target):
            raise ArgumentOutOfRangeException("Index was out of range. Must be non-negative and less than the size "
                                              "of the collection.", "byteIndex")
        if len(target) - target_index < len(encoded):
            raise ArgumentException("The output byte buffer is too small to contain the encoded data, encoding '"
                                    f"{self.codec.display}' fallback 'System.Text.EncoderReplacementFallback'.",
                                    "bytes")
        target[target_index:target_index + len(encoded)] = encoded
        return len(encoded)

    @method("GetByteCount", "string", returns="int")
    def get_byte_count(self, rt, text):
        if text is None:
            raise ArgumentNullException(None, "s")
        return len(self.encode(text))

    @method("GetString", "byte[]", returns="string")
    def get_string(self, rt, data):
        if data is None:
            raise ArgumentNullException("Array cannot be null.", "bytes")
        return self.decode(data)

    @method("GetString", "byte[]", "int", "int", returns="string")
    def get_string_range(self, rt, data, index, count):
        if data is None:
            raise ArgumentNullException("Array cannot be null.", "bytes")
        _range(data, index, count)
        return self.decode(bytes(data[index:index + count]))

    @method("GetChars", "byte[]", returns="char[]")
    def get_chars(self, rt, data):
        if data is None:
            raise ArgumentNullException("Array cannot be null.", "bytes")
        return text_rules.char_array(self.decode(data))

    @method("GetCharCount", "byte[]", returns="int")
    def get_char_count(self, rt, data):
        if data is None:
            raise ArgumentNullException("Array cannot be null.", "bytes")
        return len(self.decode(data))

    @method("GetMaxByteCount", "int", returns="int")
    def get_max_byte_count(self, rt, count):
        if count < 0:
            raise ArgumentOutOfRangeException("Non-negative number required.", "charCount")
        return (count + 1) * self.codec.max_bytes

    @method("GetPreamble", returns="byte[]")
    def get_preamble(self, rt):
        return values.ByteArray(self.preamble())

    @getter("CodePage", "int")
    @getter("WindowsCodePage", "int")
    def code_page(self, rt):
        return self.codec.code_page

    @getter("WebName", "string")
    @getter("BodyName", "string")
    @getter("HeaderName", "string")
    def web_name(self, rt):
        return self.codec.web_name

    @getter("EncodingName", "string")
    def encoding_name(self, rt):
        return self.codec.display

    @getter("IsSingleByte", "bool")
    def is_single_byte(self, rt):
        return self.codec.single_byte

    @method("Clone", returns="object")
    def clone(self, rt):
        return type(self)(self.codec, self.emit_preamble)

    @method("Equals", "object", returns="bool")
    def equals(self, rt, other):
        return self.clr_equals(other)

    @method("GetHashCode", returns="int")
    def get_hash_code(self, rt):
        return self.codec.code_page


@clr_type("System.Text.UTF8Encoding", base="System.Text.Encoding")
class UTF8Encoding(Encoding):
    @constructor()
    @constructor("bool")
    @constructor("bool", "bool")
    @staticmethod
    def create(rt, emit_bom=False, throw_on_invalid=False):
        return UTF8Encoding(UTF8, bool(emit_bom))


@clr_type("System.Text.ASCIIEncoding", base="System.Text.Encoding")
class ASCIIEncoding(Encoding):
    @constructor()
    @staticmethod
    def create(rt):
        return ASCIIEncoding(ASCII)


@clr_type("System.Text.UnicodeEncoding", base="System.Text.Encoding")
class UnicodeEncoding(Encoding):
    @constructor()
    @constructor("bool", "bool")
    @constructor("bool", "bool", "bool")
    @staticmethod
    def create(rt, big_endian=False, byte_order_mark=True, throw_on_invalid=False):
        return UnicodeEncoding(UTF16BE if big_endian else UTF16LE, bool(byte_order_mark))


@clr_type("System.Text.UTF32Encoding", base="System.Text.Encoding")
class UTF32Encoding(Encoding):
    @constructor()
    @staticmethod
    def create(rt):
        return UTF32Encoding(UTF32LE)


@clr_type("System.Text.SBCSCodePageEncoding", base="System.Text.Encoding")
class CodePageEncoding(Encoding):
    """The single-byte Windows and OEM code pages."""


@clr_type("System.Text.Latin1Encoding", base="System.Text.Encoding")
class Latin1Encoding(Encoding):
    pass


UTF8_BOM = UTF8Encoding(UTF8, True)
ASCII_ENCODING = ASCIIEncoding(ASCII)
UNICODE = UnicodeEncoding(UTF16LE)
BIG_ENDIAN_UNICODE = UnicodeEncoding(UTF16BE)
UTF32 = UTF32Encoding(UTF32LE)
DEFAULT = CodePageEncoding(CP1252)


def by_code_page(code_page: int) -> Encoding:
    shared = {65001: UTF8_BOM, 20127: ASCII_ENCODING, 1200: UNICODE, 1201: BIG_ENDIAN_UNICODE, 12000: UTF32,
              1252: DEFAULT}
    if code_page in shared:
        return shared[code_page]
    if code_page == 437:
        return CodePageEncoding(CP437)
    if code_page == 28591:
        return Latin1Encoding(LATIN1)
    raise NotSupportedException(f"No data is available for encoding {code_page}.")
