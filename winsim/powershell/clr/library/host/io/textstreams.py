"""System.IO.StreamReader and StreamWriter over any stream of the Stream protocol (read(n), write(data), tell(),
flush(), close(), readable()/writable()), and the path constructors File.OpenText/CreateText/AppendText use.

StreamReader decodes with the byte-order mark when detection is on (the default) and UTF-8 otherwise; ReadLine
ends a line at CR, LF or CRLF and answers null at the end. StreamWriter encodes UTF-8 without a BOM unless given
an encoding, whose preamble it writes only at the start of a stream; what it writes reaches the stream on
Flush, Close or at once with AutoFlush.
"""

from __future__ import annotations

from winsim.powershell.clr.library.host import interop
from winsim.powershell.clr.library.host.io.enums import READ, SHARE_READ, WRITE
from winsim.powershell.clr.library.host.io.filestream import APPEND, CREATE, OPEN, FileStream
from winsim.powershell.clr.library.host.io.win32.fileapi import decode_text
from winsim.powershell.clr.typesystem import clr_type, constructor, getter, method, setter


def _stream_argument(rt, stream, readable: bool):
    if stream is None:
        raise interop.exception(rt, "System.ArgumentNullException", "stream")
    able = interop.get(rt, stream, "CanRead" if readable else "CanWrite")
    if not able:
        text = "Stream was not readable." if readable else "Stream was not writable."
        raise interop.exception(rt, "System.ArgumentException", text)
    return stream


@clr_type("System.IO.StreamReader", base="System.IO.TextReader", interfaces=("System.IDisposable",))
class StreamReader:
    def __init__(self, stream, coding=None, detect: bool = True) -> None:
        self.stream = stream
        self.coding = coding
        self.detect = detect
        self.text: str | None = None
        self.position = 0
        self.closed = False

    @staticmethod
    def _open(rt, path):
        return FileStream.open(rt, path, OPEN, READ, SHARE_READ)

    @constructor("System.IO.Stream")
    @staticmethod
    def _from_stream(rt, stream):
        return StreamReader(_stream_argument(rt, stream, True))

    @constructor("System.IO.Stream", "bool")
    @staticmethod
    def _from_stream_detect(rt, stream, detect):
        return StreamReader(_stream_argument(rt, stream, True), None, detect)

    @constructor("System.IO.Stream", "System.Text.Encoding")
    @staticmethod
    def _from_stream_coding(rt, stream, coding):
        return StreamReader(_stream_argument(rt, stream, True), coding)

    @constructor("string")
    @staticmethod
    def _from_path(rt, path):
        return StreamReader(StreamReader._open(rt, path))

    @constructor("string", "System.Text.Encoding")
    @staticmethod
    def _from_path_coding(rt, path, coding):
        return StreamReader(StreamReader._open(rt, path), coding)

    def _loaded(self, rt) -> str:
        if self.closed:
            raise interop.exception(rt, "System.ObjectDisposedException", None, "Cannot read from a closed "
                                    "TextReader.")
        if self.text is None:
            data = self.stream.read(-1)
            if self.detect:
                self.text = decode_text(rt, data, self.coding)
            else:
                coding = self.coding if self.coding is not None else interop.encoding(rt, "UTF8")
                self.text = interop.decode(rt, coding, data)
        return self.text

    @method("ReadLine", returns="string")
    def read_line(self, rt):
        text = self._loaded(rt)
        if self.position >= len(text):
            return None
        end = self.position
        while end < len(text) and text[end] not in "\r\n":
            end += 1
        line = text[self.position:end]
        if end < len(text):
            end += 2 if text[end] == "\r" and text[end + 1:end + 2] == "\n" else 1
        self.position = end
        return line

    @method("ReadToEnd", returns="string")
    def read_to_end(self, rt):
        text = self._loaded(rt)
        rest, self.position = text[self.position:], len(text)
        return rest

    @method("Read", returns="int")
    def read_char(self, rt):
        text = self._loaded(rt)
        if self.position >= len(text):
            return -1
        self.position += 1
        return ord(text[self.position - 1])

    @method("Peek", returns="int")
    def peek(self, rt):
        text = self._loaded(rt)
        return ord(text[self.position]) if self.position < len(text) else -1

    @getter("EndOfStream", "bool")
    def p_end_of_stream(self, rt):
        return self.position >= len(self._loaded(rt))

    @getter("BaseStream", "System.IO.Stream")
    def p_base_stream(self, rt):
        return None if self.closed else self.stream

    @getter("CurrentEncoding", "System.Text.Encoding")
    def p_current_encoding(self, rt):
        return self.coding if self.coding is not None else interop.encoding(rt, "UTF8")

    @method("Close")
    def close(self, rt):
        if not self.closed:
            self.closed = True
            self.stream.close()

    @method("Dispose")
    def dispose(self, rt):
        self.close(rt)


@clr_type("System.IO.StreamWriter", base="System.IO.TextWriter", interfaces=("System.IDisposable",))
class StreamWriter:
    def __init__(self, rt, stream, coding=None) -> None:
        self.stream = stream
        self.coding = coding
        self.pending: list[str] = []
        self.auto_flush = False
        self.new_line = "\r\n"
        self.closed = False
        # the preamble only at the start of a stream (an append to a non-empty file gets none)
        self.preamble_due = coding is not None and self._at_start()

    def _at_start(self) -> bool:
        try:
            return self.stream.tell() == 0
        except Exception:  # a stream that cannot tell its position: .NET writes the preamble
            return True

    @staticmethod
    def _open(rt, path, append: bool):
        return FileStream.open(rt, path, APPEND if append else CREATE, WRITE, SHARE_READ)

    @constructor("System.IO.Stream")
    @staticmethod
    def _from_stream(rt, stream):
        return StreamWriter(rt, _stream_argument(rt, stream, False))

    @constructor("System.IO.Stream", "System.Text.Encoding")
    @staticmethod
    def _from_stream_coding(rt, stream, coding):
        return StreamWriter(rt, _stream_argument(rt, stream, False), coding)

    @constructor("string")
    @staticmethod
    def _from_path(rt, path):
        return StreamWriter(rt, StreamWriter._open(rt, path, False))

    @constructor("string", "bool")
    @staticmethod
    def _from_path_append(rt, path, append):
        return StreamWriter(rt, StreamWriter._open(rt, path, append))

    @constructor("string", "bool", "System.Text.Encoding")
    @staticmethod
    def _from_path_append_coding(rt, path, append, coding):
        return StreamWriter(rt, StreamWriter._open(rt, path, append), coding)

    def _write(self, rt, text: str) -> None:
        if self.closed:
            raise interop.exception(rt, "System.ObjectDisposedException", None, "Cannot write to a closed "
                                    "TextWriter.")
        self.pending.append(text)
        if self.auto_flush:
            self.flush(rt)

    @method("Write", "string")
    @method("Write", "char")
    def write(self, rt, text):
        self._write(rt, str(text) if text is not None else "")

    @method("Write", "object")
    def write_object(self, rt, value):
        self._write(rt, "" if value is None else str(interop.call(rt, value, "ToString")))

    @method("WriteLine")
    def write_line_empty(self, rt):
        self._write(rt, self.new_line)

    @method("WriteLine", "string")
    def write_line(self, rt, text):
        self._write(rt, (text or "") + self.new_line)

    @method("WriteLine", "object")
    def write_line_object(self, rt, value):
        shown = "" if value is None else str(interop.call(rt, value, "ToString"))
        self._write(rt, shown + self.new_line)

    @method("Flush")
    def flush(self, rt):
        text, self.pending = "".join(self.pending), []
        data = b""
        if self.preamble_due:  # any flush writes it first, even with nothing else to write
            data, self.preamble_due = interop.preamble(rt, self.coding), False
        if text:
            data += interop.encode(rt, self.coding, text) if self.coding is not None else text.encode(
                "utf-8", errors="surrogatepass")
        if data:
            self.stream.write(data)
        self.stream.flush()

    @getter("AutoFlush", "bool")
    def p_auto_flush(self, rt):
        return self.auto_flush

    @setter("AutoFlush", "bool")
    def set_auto_flush(self, rt, value):
        self.auto_flush = bool(value)
        if self.auto_flush:
            self.flush(rt)

    @getter("NewLine", "string")
    def p_new_line(self, rt):
        return self.new_line

    @setter("NewLine", "string")
    def set_new_line(self, rt, value):
        self.new_line = "\r\n" if value is None else value

    @getter("BaseStream", "System.IO.Stream")
    def p_base_stream(self, rt):
        return None if self.closed else self.stream

    @getter("Encoding", "System.Text.Encoding")
    def p_encoding(self, rt):
        return self.coding if self.coding is not None else interop.encoding(rt, "UTF8")

    @method("Close")
    def close(self, rt):
        if not self.closed:
            self.flush(rt)
            self.closed = True
            self.stream.close()

    @method("Dispose")
    def dispose(self, rt):
        self.close(rt)
