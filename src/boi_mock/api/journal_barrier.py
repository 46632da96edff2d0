"""Read-your-writes for the request journal: a BOI answer reaches the client only once it is journalled.

`BoiObserver` writes the journal entry (and Error Log row) after the app has sent its answer. A test
that reads `/_mock/…/requests` right after a call could then miss that call. This middleware wraps
the observer and holds back the answer's last body message until the observer has returned, i.e.
until the entry is committed: verification (`assert_called`) never races the journal.
"""

from __future__ import annotations

from boi_mock.api.asgi import ASGIApp, Message, Receive, Scope, Send
from boi_mock.api.observer import is_boi_path


class JournalBarrier:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_boi_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold_last(message: Message) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                held.append(message)
                return
            await send(message)

        try:
            await self.app(scope, receive, hold_last)
        finally:
            for message in held:
                await send(message)
