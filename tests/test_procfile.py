"""The app runs under gunicorn exactly as the Procfile says, and answers its health check."""

from __future__ import annotations

import json


def test_gunicorn_from_the_procfile_serves_the_shipped_menu(server, shipped):
    answer = server.client().get("/healthz")
    assert answer.status == 200
    assert json.loads(answer.body)["menu"] == shipped.digest
