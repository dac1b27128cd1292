"""Scaffolding: the sms webhooks are being written (see the sms issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sms", __name__)
