"""The package version (one place; read by the package face, results and the cache key)."""

__version__ = "0.2.0.dev0"
