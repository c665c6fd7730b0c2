"""CLI commands, one module per verb group; each exposes ``register(app)``."""
