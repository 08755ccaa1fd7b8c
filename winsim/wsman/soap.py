"""WS-Management SOAP: read a request's headers and body, write responses and faults the way Windows does."""

from __future__ import annotations

import base64
import dataclasses
import re
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from winsim.wsman import errors

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "x": "http://schemas.xmlsoap.org/ws/2004/09/transfer",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "p": "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
}
WSMANFAULT_NS = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
WMIERROR_NS = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/MSFT_WmiError"
ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
FAULT_ACTION = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"

SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
CMD_RESOURCE_URI = SHELL_URI + "/cmd"
ACTION_CREATE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create"
ACTION_DELETE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete"
ACTION_COMMAND = SHELL_URI + "/Command"
ACTION_SEND = SHELL_URI + "/Send"
ACTION_RECEIVE = SHELL_URI + "/Receive"
ACTION_SIGNAL = SHELL_URI + "/Signal"
SIGNAL_TERMINATE = SHELL_URI + "/signal/terminate"
SIGNAL_CTRL_C = SHELL_URI + "/signal/ctrl_c"
SIGNAL_CTRL_BREAK = SHELL_URI + "/signal/ctrl_break"
STATE_DONE = SHELL_URI + "/CommandState/Done"
STATE_RUNNING = SHELL_URI + "/CommandState/Running"

_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?)S)?)?$")


def q(prefix: str, local: str) -> str:
    """ElementTree's {namespace}local name for a prefixed name."""
    return f"{{{NS[prefix]}}}{local}"


def parse_duration(text: str) -> float | None:
    """Seconds in an xs:duration such as PT20S, PT60.000S or P0DT0H1M0S; None if it is not one we accept."""
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "PT") or text.strip().endswith("T"):
        return None
    days, hours, minutes, seconds = match.groups()
    return int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)


def format_duration(seconds: float) -> str:
    return f"PT{seconds:.3f}S"


@dataclasses.dataclass
class WsmanRequest:
    action: str
    message_id: str
    resource_uri: str
    shell_id: str | None
    max_envelope_size: int | None
    operation_timeout: str | None  # the raw xs:duration text
    options: dict[str, str]
    body: ET.Element


def parse_request(data: bytes) -> WsmanRequest:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise errors.schema_error(f"not well-formed XML: {exc}") from exc
    if root.tag != q("s", "Envelope"):
        raise errors.schema_error("the document is not a SOAP 1.2 envelope")
    header = root.find("s:Header", NS)
    body = root.find("s:Body", NS)
    if header is None or body is None:
        raise errors.schema_error("the envelope needs a Header and a Body")

    def text(path: str) -> str | None:
        node = header.find(path, NS)
        return node.text.strip() if node is not None and node.text else None

    message_id = text("a:MessageID")
    if not message_id:
        raise errors.header_required("a:MessageID")
    action = text("a:Action")
    if not action:
        raise errors.header_required("a:Action")
    shell_id = None
    for selector in header.findall("w:SelectorSet/w:Selector", NS):
        if selector.get("Name") == "ShellId":
            shell_id = (selector.text or "").strip()
    max_envelope = text("w:MaxEnvelopeSize")
    options = {opt.get("Name", ""): (opt.text or "").strip() for opt in header.findall("w:OptionSet/w:Option", NS)}
    return WsmanRequest(
        action=action,
        message_id=message_id,
        resource_uri=text("w:ResourceURI") or "",
        shell_id=shell_id,
        max_envelope_size=int(max_envelope) if max_envelope and max_envelope.isdigit() else None,
        operation_timeout=text("w:OperationTimeout"),
        options=options,
        body=body,
    )


# -- responses ------------------------------------------------------------------------------------------------
def new_guid() -> str:
    return str(uuid.uuid4()).upper()


def envelope(action: str, relates_to: str, body: str) -> bytes:
    namespaces = " ".join(f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in NS.items())
    return (
        f'<s:Envelope xml:lang="en-US" {namespaces}><s:Header>'
        f"<a:Action>{escape(action)}</a:Action>"
        f"<a:MessageID>uuid:{new_guid()}</a:MessageID>"
        f"<a:To>{ANONYMOUS}</a:To>"
        f"<a:RelatesTo>{escape(relates_to)}</a:RelatesTo>"
        f"</s:Header><s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


def response(request: WsmanRequest, body: str) -> bytes:
    return envelope(request.action + "Response", request.message_id, body)


def fault_envelope(fault: errors.WsmanFault, relates_to: str | None, machine: str) -> bytes:
    wmi = ""
    if fault.wmi_error:
        wmi = (f'<p:MSFT_WmiError xmlns:p="{WMIERROR_NS}"><p:error_Code>{fault.wsman_code}</p:error_Code>'
               f"<p:Message>{escape(fault.reason)}</p:Message>"
               f"<p:MessageID>HRESULT 0x{fault.wsman_code:08x}</p:MessageID></p:MSFT_WmiError>")
    body = (
        f"<s:Fault><s:Code><s:Value>{fault.code}</s:Value><s:Subcode><s:Value>{fault.subcode}</s:Value>"
        f'</s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">{escape(fault.reason)}</s:Text></s:Reason>'
        f'<s:Detail><f:WSManFault xmlns:f="{WSMANFAULT_NS}" Code="{fault.wsman_code}" Machine={quoteattr(machine)}>'
        f"<f:Message>{escape(fault.reason)}</f:Message></f:WSManFault>{wmi}</s:Detail></s:Fault>"
    )
    return envelope(FAULT_ACTION, relates_to or f"uuid:{new_guid()}", body)


def create_body(shell_id: str, listener_url: str, owner: str, client_ip: str, idle_timeout_s: float,
                input_streams: str, output_streams: str) -> str:
    selector = f'<w:SelectorSet><w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet>'
    return (
        f"<x:ResourceCreated><a:Address>{escape(listener_url)}</a:Address><a:ReferenceParameters>"
        f"<w:ResourceURI>{CMD_RESOURCE_URI}</w:ResourceURI>{selector}</a:ReferenceParameters></x:ResourceCreated>"
        f"<rsp:Shell><rsp:ShellId>{shell_id}</rsp:ShellId><rsp:ResourceUri>{CMD_RESOURCE_URI}</rsp:ResourceUri>"
        f"<rsp:Owner>{escape(owner)}</rsp:Owner><rsp:ClientIP>{escape(client_ip)}</rsp:ClientIP>"
        f"<rsp:IdleTimeOut>{format_duration(idle_timeout_s)}</rsp:IdleTimeOut>"
        f"<rsp:InputStreams>{escape(input_streams)}</rsp:InputStreams>"
        f"<rsp:OutputStreams>{escape(output_streams)}</rsp:OutputStreams>"
        "<rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime><rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity>"
        "</rsp:Shell>"
    )


def command_body(command_id: str) -> str:
    return f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId></rsp:CommandResponse>"


def receive_body(command_id: str, stdout: bytes, stderr: bytes, exit_code: int | None) -> str:
    """One ReceiveResponse; `exit_code` None means the command is still running (more output may follow)."""
    parts = ["<rsp:ReceiveResponse>"]
    cid = quoteattr(command_id)
    for name, data in (("stdout", stdout), ("stderr", stderr)):
        if data:
            parts.append(f'<rsp:Stream Name="{name}" CommandId={cid}>{base64.b64encode(data).decode()}</rsp:Stream>')
    if exit_code is None:
        parts.append(f'<rsp:CommandState CommandId={cid} State="{STATE_RUNNING}"/>')
    else:
        parts.append(f'<rsp:Stream Name="stdout" CommandId={cid} End="true"></rsp:Stream>')
        parts.append(f'<rsp:Stream Name="stderr" CommandId={cid} End="true"></rsp:Stream>')
        parts.append(f'<rsp:CommandState CommandId={cid} State="{STATE_DONE}">'
                     f"<rsp:ExitCode>{exit_code}</rsp:ExitCode></rsp:CommandState>")
    parts.append("</rsp:ReceiveResponse>")
    return "".join(parts)


SEND_BODY = "<rsp:SendResponse/>"
SIGNAL_BODY = "<rsp:SignalResponse/>"
DELETE_BODY = ""
