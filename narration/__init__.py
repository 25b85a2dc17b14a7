"""Narration: every site in every language, translated, spoken, normalised and cached.

``narration.service`` is the public entry point for other parts of the guide (the API,
the staff pages); ``narration.cli`` is ``guide narration …``.
"""
