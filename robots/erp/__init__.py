"""The ERP poster robot (Playwright driven by a declarative form map) and the bundled demo ERP."""
