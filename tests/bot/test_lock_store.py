"""Rasa's lock store as `guide bot rasa` configures it (bot/endpoints.yml and the variables
it sets from GUIDE_RASA_LOCK_STORE_URL), read by Rasa's own code in .venv-rasa: a Redis lock
store on a real redis-server that two Rasa servers share, or the in-memory one by default."""

import json
import subprocess

import pytest

from bot.cli import ENDPOINTS, RASA, lock_store_variables, rasa_environment

# Two lock stores from the same endpoints, as two Rasa servers would make them: a ticket
# one issues for a conversation is the other's to wait for.
PROBE = """
import json, sys
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import read_endpoint_config

config = read_endpoint_config(sys.argv[1], "lock_store")
first, second = LockStore.create(config), LockStore.create(config)
ticket = first.issue_ticket("visitor-1")
seen = second.get_lock("visitor-1")
print(json.dumps({
    "store": type(first).__name__,
    "shared": seen is not None and seen.last_issued == ticket,
    "ticket_locked": seen is not None and seen.is_locked(ticket + 1),
}))
"""


def _probe(lock_store_url: str) -> dict[str, object]:
    if not RASA.exists():
        pytest.fail(f"{RASA} is missing: run `make setup` to create .venv-rasa")
    result = subprocess.run(
        [str(RASA.with_name("python")), "-c", PROBE, str(ENDPOINTS)],
        env=rasa_environment(
            GUIDE_ACTION_SERVER_URL="http://127.0.0.1:5055",
            GUIDE_RASA_TRACKER_URL="sqlite:///unused.db",
            **lock_store_variables(lock_store_url),
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_rasa_servers_share_their_locks_in_redis(redis_server: str) -> None:
    lock_store = redis_server.rsplit("/", 1)[0] + "/1"
    assert _probe(lock_store) == {"store": "RedisLockStore", "shared": True, "ticket_locked": True}


def test_without_the_setting_each_rasa_server_keeps_its_locks_in_memory() -> None:
    assert _probe("")["store"] == "InMemoryLockStore"
    assert _probe("")["shared"] is False


def test_the_lock_store_url_becomes_rasas_redis_settings() -> None:
    assert lock_store_variables("redis://:s%40cret@10.0.0.9:6380/2") == {
        "GUIDE_RASA_LOCK_STORE_TYPE": "redis",
        "GUIDE_RASA_LOCK_STORE_HOST": "10.0.0.9",
        "GUIDE_RASA_LOCK_STORE_PORT": "6380",
        "GUIDE_RASA_LOCK_STORE_DB": "2",
        "GUIDE_RASA_LOCK_STORE_PASSWORD": "s@cret",
    }
