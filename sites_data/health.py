"""Whether the database takes writes, asked the cheap way a health check can afford."""

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

# A real change to the one row every migrated database has, rolled back: SQLite opens its
# journal and PostgreSQL checks the transaction may write, as for any counted play or edit.
_PROBE = text("UPDATE alembic_version SET version_num = version_num")


def write_refused(engine: Engine) -> str | None:
    """None when a write to the database would succeed, else the database's reason."""
    try:
        with engine.connect() as connection, connection.begin() as transaction:
            connection.execute(_PROBE)
            transaction.rollback()
    except DBAPIError as error:
        return str(error.orig)
    except SQLAlchemyError as error:
        return str(error)
    return None
