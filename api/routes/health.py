"""Liveness and readiness for load balancers and `make run`."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from api.deps import ServicesDep
from sites_data.health import write_refused

router = APIRouter(tags=["health"])


def _failing(reason: str) -> JSONResponse:
    return JSONResponse({"status": "failing", "reason": reason}, status_code=503)


@router.get("/healthz", responses={503: {"description": "The database cannot be read or written"}})
def healthz(services: ServicesDep) -> JSONResponse:
    """``ok`` with the number of public sites; 503 with the reason when the database cannot be
    read, or cannot be written (a change is tried and rolled back)."""
    try:
        sites = len(services.store.catalogue().sites)
    except SQLAlchemyError as error:
        return _failing(f"the database cannot be read: {getattr(error, 'orig', None) or error}")
    refused = write_refused(services.database.engine)
    if refused is not None:
        return _failing(f"the database does not accept writes: {refused}")
    return JSONResponse({"status": "ok", "sites": sites})
