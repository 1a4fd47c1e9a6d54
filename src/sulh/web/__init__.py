"""The web adapter: JSON API (and later the HTML UI) over the domain functions."""

from sulh.web.app import create_app

__all__ = ["create_app"]
