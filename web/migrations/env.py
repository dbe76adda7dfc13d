"""Alembic environment: always run programmatically by web.migrate with an open connection."""
from alembic import context

from web.store import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
