"""The WinRM (WS-Management) endpoint of a simulated Windows host."""

from winsim.wsman.endpoint import HostEndpoint
from winsim.wsman.settings import EndpointSettings, FaultRule

__all__ = ["EndpointSettings", "FaultRule", "HostEndpoint"]
