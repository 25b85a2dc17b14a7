"""Machine translation of the narration: models, glossary protection, translation memory."""
