"""Liveness and readiness for load balancers and `make run`."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from api.deps import StoreDep
from sites_data.health import write_refused

router = APIRouter(tags=["health"])


def _failing(reason: str) -> JSONResponse:
    return JSONResponse({"status": "failing", "reason": reason}, status_code=503)


@router.get("/healthz", responses={503: {"description": "The database cannot be read or written"}})
def healthz(request: Request, store: StoreDep) -> JSONResponse:
    """``ok`` with the number of public sites; 503 with the reason when the database cannot be
    read, or cannot be written (a change is tried and rolled back)."""
    try:
        sites = len(store.catalogue().sites)
    except SQLAlchemyError as error:
        return _failing(f"the database cannot be read: {getattr(error, 'orig', None) or error}")
    engine: Engine = request.app.state.health_engine
    refused = write_refused(engine)
    if refused is not None:
        return _failing(f"the database does not accept writes: {refused}")
    return JSONResponse({"status": "ok", "sites": sites})
