"""The Campus UI's Message Center with a long inbox, in one process (no server, no network).

    PYTHONPATH=src .venv/bin/python bench/message_center.py [--messages 2000] [--rounds 15]

Creates the minimal district in a fresh SQLite file through the in-process app (Starlette's TestClient), gives
its first Campus user `--messages` unread HR-Staff messages (inserted in one transaction), then times, per round,
one GET of the Message Center (the page a trainer opens) and reports the median and best round, the page's size
and how many messages it lists; then one "Mark all read" POST and how many messages it marked. Issue 17 item 4:
before paging, the page listed the newest 200 (a 16,000-px page at 206) and Mark all read loaded up to 10,000
rows to mark them one by one. Runs against any tree whose API it calls (point PYTHONPATH at another checkout's
src/ to compare two commits); it asserts no timing.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path

from fastapi.testclient import TestClient

from boi_mock import models as m
from boi_mock.main import create_app
from boi_mock.settings import Settings

UI = "/campus/ui"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    scenario = json.loads(resources.files("boi_mock.seed").joinpath("minimal.json").read_text())
    scenario["appName"] = "bench-messages"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}", seed_files=[])
        with TestClient(create_app(settings)) as client:
            assert client.post("/_mock/districts", json=scenario).status_code == 201
            db = client.app.state.db  # type: ignore[attr-defined]
            with db.unit_of_work() as session:
                district = session.query(m.District).filter_by(app_name="bench-messages").one()
                user = session.query(m.CampusUser).filter_by(district_id=district.id).order_by(m.CampusUser.name,
                                                                                               m.CampusUser.id).first()
                assert user is not None
                user_id = user.id
                now = district.created_at
                session.add_all(m.Message(district_id=district.id, campus_user_id=user_id, notification_type="HR-Staff",
                                          event="staff updated", subject=f"HR-Staff: staff {n} updated",
                                          body=f"The HR system updated staff member {n}.", created_at=now, read=False)
                                for n in range(args.messages))
            page = f"{UI}/bench-messages/messages?user={user_id}"
            client.get(page)  # warm up (templates compiled, caches filled)
            times = []
            for _ in range(args.rounds):
                began = time.perf_counter()
                response = client.get(page)
                times.append(time.perf_counter() - began)
                assert response.status_code == 200
            listed = response.text.count('class="message-body"')
            print(f"{args.messages} messages: GET Message Center median {statistics.median(times) * 1000:.1f} ms, "
                  f"best {min(times) * 1000:.1f} ms; page {len(response.text) / 1024:.0f} KB, {listed} listed")
            token = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
            form = {"csrf_token": token.group(1)} if token else {}
            began = time.perf_counter()
            marked = client.post(f"{UI}/bench-messages/messages/{user_id}/read", data=form,
                                 headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"})
            elapsed = time.perf_counter() - began
            with db.unit_of_work(write=False) as session:
                unread = session.query(m.Message).filter_by(campus_user_id=user_id, read=False).count()
            print(f"Mark all read: {elapsed * 1000:.1f} ms (status {marked.status_code}), {unread} left unread")


if __name__ == "__main__":
    main()
