"""The control room: a web UI for operators, reviewers and auditors (FastAPI + Jinja2).

``create_app(settings, ledger, registry)`` builds the app; ``bots serve`` runs it and
``bots users`` manages who may sign in.
"""

from backoffice.web.app import create_app

__all__ = ["create_app"]
