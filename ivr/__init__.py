"""An SMS and voice information line for Twilio, driven by one menus.yaml file."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger("ivr")

# Settings a public line cannot run without: no token means anyone can drive the line, and a
# random key per worker would silently break text conversations that cross workers.
REQUIRED = ("TWILIO_AUTH_TOKEN", "SECRET_KEY")


class SettingsError(RuntimeError):
    """A setting the line needs is missing or wrong (gunicorn prints it as one line and exits)."""


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the web app: read settings, load the menu once, register the webhooks."""
    # Imported here, not at the top: the `ivr` command imports this package and never the web.
    from flask import Flask

    from ivr.live import LiveMenu

    # No app-wide /static: the simulator serves its own files, and only when it is on.
    app = Flask(__name__, static_folder=None)
    env = os.environ.get
    app.config.from_mapping(
        SECRET_KEY=env("SECRET_KEY"),
        TWILIO_AUTH_TOKEN=env("TWILIO_AUTH_TOKEN"),
        PUBLIC_BASE_URL=env("PUBLIC_BASE_URL"),
        IVR_MENU=env("IVR_MENU", "menus.yaml"),
        IVR_DEV=env("IVR_DEV") == "1",
        IVR_SIMULATOR=env("IVR_SIMULATOR") == "1",
        IVR_RELOAD_SECONDS=1.0,
        IVR_FALLBACK_NUMBER=env("IVR_FALLBACK_NUMBER", "+16173556000"),
        IVR_SMS_LIMIT=env("IVR_SMS_LIMIT", "20 per 10 minutes"),
        REDIS_URL=env("REDIS_URL"),
        # Twilio keeps a texter's cookies for about 4 hours: where they are in the menu, as long.
        PERMANENT_SESSION_LIFETIME=timedelta(hours=4),
    )
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    _check_settings(app)
    app.extensions["ivr.menu"] = LiveMenu(
        app.config["IVR_MENU"], interval=app.config["IVR_RELOAD_SECONDS"]
    )

    from ivr import abuse, fallback, guard, health, security, simulator, sms, voice

    security.init_app(app)
    abuse.init_app(app)
    fallback.init_app(app)
    guard.init_app(app)
    app.register_blueprint(voice.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(simulator.bp)
    return app


def _check_settings(app: Flask) -> None:
    """Refuse to run a public line without its secrets; let local development run, loudly."""
    missing = [name for name in REQUIRED if not app.config[name]]
    if missing and not (app.config["IVR_DEV"] or app.testing):
        raise SettingsError(
            f"{' and '.join(missing)} not set: the line will not start without "
            f"{'them' if len(missing) > 1 else 'it'} (for local development use `make run`)"
        )
    if not app.config["SECRET_KEY"] and app.config["IVR_DEV"]:
        # One process on one machine: a key of its own keeps texts' cookies working.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    if not app.config["TWILIO_AUTH_TOKEN"] and not app.testing:
        log.warning("*" * 72)
        log.warning("IVR_DEV=1: TWILIO SIGNATURES ARE NOT CHECKED. Anyone can drive this line.")
        log.warning("For your own machine only: never put this on a public address.")
        log.warning("*" * 72)
