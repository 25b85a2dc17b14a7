"""The Rasa assistant: the Rasa project (domain, data, tests) and its action server."""
