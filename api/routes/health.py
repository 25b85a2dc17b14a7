"""Liveness and readiness for load balancers and `make run`."""

from fastapi import APIRouter

from api.deps import StoreDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(store: StoreDep) -> dict[str, str | int]:
    """``ok`` with the number of public sites; fails when the database cannot be read."""
    return {"status": "ok", "sites": len(store.catalogue().sites)}
