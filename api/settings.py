"""Settings of the guide, read once per process from the environment (or a ``.env`` file).

Each setting is declared with its default and its help text; the README's table
is checked against these declarations by ``tests/api/test_settings.py``.
"""

from functools import lru_cache

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GUIDE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/guide.db",
        validation_alias=AliasChoices("DATABASE_URL", "GUIDE_DATABASE_URL"),
        description="SQLAlchemy URL of the knowledge base, e.g. "
        "postgresql+psycopg://guide@db-host/guide. The default is a SQLite file under var/.",
    )
    host: str = Field(default="127.0.0.1", description="Address `guide serve` listens on.")
    port: int = Field(default=8000, description="Port `guide serve` listens on.")
    rasa_url: str = Field(
        default="http://127.0.0.1:5005",
        description="Base URL of the Rasa server the chat proxy talks to.",
    )
    chat_timeout_s: float = Field(
        default=3.0,
        description="Seconds the chat proxy waits for Rasa before answering 503.",
    )
    action_server_url: str = Field(
        default="http://127.0.0.1:5055",
        description="URL of the assistant's action server: where Rasa calls it, and the port "
        "`guide bot actions` listens on.",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The address visitors use to reach the guide (for links and QR codes).",
    )


def environment_name(field_name: str) -> str:
    """The environment variable a person sets for a setting."""
    alias = Settings.model_fields[field_name].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"GUIDE_{field_name.upper()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
