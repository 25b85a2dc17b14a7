"""The errors a person running the narration may read: each says what failed and what to do."""


class NarrationError(Exception):
    """A narration step that cannot be done; the message is meant for people."""


class UnknownLanguage(NarrationError):
    def __init__(self, code: str, supported: str) -> None:
        self.code = code
        super().__init__(f"unknown language {code!r}; the supported ones are {supported}")
