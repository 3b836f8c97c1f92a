"""Form maps shipped with the project (TOML); an operator's own live in ``<base>/formmaps``."""
