"""The errors a person running the narration may read: each says what failed and what to do."""


class NarrationError(Exception):
    """A narration step that cannot be done; the message is meant for people."""
