"""Command-line sub-commands. Each module exposes ``register(subparsers)``; its handler
returns an exit code and raises ``PolicyError`` for anything the user got wrong."""
