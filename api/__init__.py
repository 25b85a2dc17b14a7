"""The web application (FastAPI) and the ``guide`` command line."""
