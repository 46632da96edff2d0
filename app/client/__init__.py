"""A small typed Python client for the BOI API (`BoiClient`) and boi-mock's control API (`MockControl`)."""

from app.client.auth import BoiTokenAuth
from app.client.boi import BoiClient
from app.client.control import DistrictControl, MockControl
from app.client.errors import BoiApiError, BoiAuthError, BoiError, FieldProblem

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
