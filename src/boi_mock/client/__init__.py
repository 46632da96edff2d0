"""A small typed Python client for the BOI API (`BoiClient`) and boi-mock's control API (`MockControl`)."""

from boi_mock.client.auth import BoiTokenAuth
from boi_mock.client.boi import BoiClient
from boi_mock.client.control import DistrictControl, MockControl
from boi_mock.client.errors import BoiApiError, BoiAuthError, BoiError, FieldProblem

__all__ = [
    "BoiApiError",
    "BoiAuthError",
    "BoiClient",
    "BoiError",
    "BoiTokenAuth",
    "DistrictControl",
    "FieldProblem",
    "MockControl",
]
