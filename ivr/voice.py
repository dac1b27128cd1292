"""Scaffolding: the voice webhooks are being written (see the voice issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("voice", __name__)
