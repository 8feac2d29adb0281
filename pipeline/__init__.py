"""desta-data's wiring: configuration, the Ray Data pipeline, generation and the CLI."""

__version__ = "0.1.0"
