"""The assistant's own NLU components, which Rasa imports as ``bot.components.…``."""
