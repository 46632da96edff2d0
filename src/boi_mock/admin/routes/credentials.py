"""Business Office API Credentials: client ID, masked secret with Show, URLs, Generate New Secret (AUTH-4, AUTH-5)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from boi_mock.admin.deps import UiDep, server_url
from boi_mock.admin.render import redirect, render
from boi_mock.services import districts

router = APIRouter()
DOCUMENTATION_PATH = "/campus/api/businessOfficeIntegration/documentation"
GUIDE_URL = "https://kb.infinitecampus.com/help/business-office-integration-user-guide"


def masked(secret: str) -> str:
    """AUTH-5: the secret is never shown whole unless asked; the start helps tell two secrets apart."""
    return secret[:4] + "•" * 12 + "…"


@router.get("/credentials", response_class=HTMLResponse)
def credentials_page(ui: UiDep, show: bool = False) -> Response:
    creds = districts.credentials(ui.district, server_url(ui.request))
    return render(ui.request, "credentials.html", {
        "nav": "credentials", "creds": creds, "show": show, "masked_secret": masked(creds.client_secret),
        "documentation_url": server_url(ui.request) + DOCUMENTATION_PATH, "guide_url": GUIDE_URL,
        # The link opens Swagger with this district's token URL, so its Authorize fetches a token (AUTH-1).
        "documentation_href": f"{server_url(ui.request)}{DOCUMENTATION_PATH}?appName={quote(ui.district.app_name)}",
        "rotated_at": ui.district.secret_rotated_at,
        "scenario_secret": districts.scenario_secret(ui.district) is not None,
        "is_scenario_secret": districts.scenario_secret(ui.district) == creds.client_secret,
    }, ui=ui)


@router.get("/credentials/new-secret", response_class=HTMLResponse)
def confirm_new_secret(ui: UiDep) -> Response:
    return render(ui.request, "credentials_confirm.html", {"nav": "credentials"}, ui=ui)


@router.post("/credentials/new-secret")
def generate_new_secret(ui: UiDep) -> Response:
    """AUTH-4: the old secret and every token issued with it stop working at once."""
    ui.back_to("credentials", "new-secret")
    districts.rotate_secret(ui.session, ui.district)
    return redirect(ui.request, ui.links("credentials"),
                    notice="A new client secret was generated. The HR system must use it to get a new token; "
                           "until then all its API calls fail.")


@router.get("/credentials/restore-secret", response_class=HTMLResponse)
def confirm_restore_secret(ui: UiDep) -> Response:
    return render(ui.request, "credentials_restore.html", {
        "nav": "credentials", "scenario_secret": districts.scenario_secret(ui.district) is not None,
    }, ui=ui)


@router.post("/credentials/restore-secret")
def restore_scenario_secret(ui: UiDep) -> Response:
    """MOCK-13 restore (a trainer's reset for the next class): the scenario's secret again; AUTH-4 applies."""
    ui.back_to("credentials", "restore-secret")
    districts.restore_scenario_secret(ui.session, ui.district)
    return redirect(ui.request, ui.links("credentials"),
                    notice="The scenario's client secret was restored. Tokens issued before now no longer work: "
                           "the HR system must get a new token with the restored secret.")
