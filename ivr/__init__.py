"""An SMS and voice information line for Twilio, driven by one menus.yaml file."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

from flask import Flask

from ivr.live import LiveMenu


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the web app: read settings, load the menu once, register the webhooks."""
    # No app-wide /static: the simulator serves its own files, and only when it is on.
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        TWILIO_AUTH_TOKEN=os.environ.get("TWILIO_AUTH_TOKEN"),
        PUBLIC_BASE_URL=os.environ.get("PUBLIC_BASE_URL"),
        IVR_MENU=os.environ.get("IVR_MENU", "menus.yaml"),
        IVR_DEV=os.environ.get("IVR_DEV") == "1",
        IVR_SIMULATOR=os.environ.get("IVR_SIMULATOR") == "1",
        IVR_RELOAD_SECONDS=1.0,
        # Twilio keeps a texter's cookies for about 4 hours: where they are in the menu, as long.
        PERMANENT_SESSION_LIFETIME=timedelta(hours=4),
    )
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app.extensions["ivr.menu"] = LiveMenu(
        app.config["IVR_MENU"], interval=app.config["IVR_RELOAD_SECONDS"]
    )

    from ivr import health, simulator, sms, voice

    app.register_blueprint(voice.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(simulator.bp)
    return app
