"""The bundled demo ERP: ``create_app`` for the ASGI app, ``running_demo_erp`` to run it
in-process on a free port, ``DEFAULT_VENDORS`` for what it starts with."""

from robots.erp.demo.app import create_app
from robots.erp.demo.server import RunningErp, running_demo_erp, serve_app, start_demo_erp
from robots.erp.demo.vendors import DEFAULT_VENDORS

__all__ = ["DEFAULT_VENDORS", "RunningErp", "create_app", "running_demo_erp", "serve_app",
           "start_demo_erp"]
