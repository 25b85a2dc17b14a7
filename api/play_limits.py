"""Which play reports to count: once per page view, and a bounded number per address.

The player reports a play once per page view, with a random id of that view; a report
sent again for the same view is not counted again. An address may report at most
``per_address`` plays in each ``window_s``: a tour group on one Wi-Fi plays many, a
script repeating the request would play far more. The memory is this process's, so
with several API processes a view could count once per process: still bounded.
"""

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    COUNT = "count"
    SEEN = "seen"  # this page view's play was counted already
    TOO_MANY = "too_many"  # this address reported more plays than people listen to


@dataclass(frozen=True)
class PlayLimits:
    window_s: float = 600.0
    per_address: int = 60
    # A view reported again after this long counts again (a tab left open since morning).
    view_memory_s: float = 3600.0


class PlayLimiter:
    def __init__(
        self, limits: PlayLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or PlayLimits()
        self._clock = clock
        self._lock = threading.Lock()
        # Views in the order they were counted, so the oldest are forgotten first.
        self._views: OrderedDict[tuple[str, str, str], float] = OrderedDict()
        self._window = 0
        self._per_address: Counter[str] = Counter()

    def judge(self, address: str, view: str, site_key: str, lang: str) -> Verdict:
        """Whether to count this report; a counted one is remembered."""
        now = self._clock()
        seen = (view, site_key, lang)
        with self._lock:
            self._forget_before(now - self.limits.view_memory_s)
            window = int(now // self.limits.window_s)
            if window != self._window:
                self._window, self._per_address = window, Counter()
            if seen in self._views:
                return Verdict.SEEN
            if self._per_address[address] >= self.limits.per_address:
                return Verdict.TOO_MANY
            self._per_address[address] += 1
            self._views[seen] = now
            return Verdict.COUNT

    def retry_after_s(self) -> int:
        """Seconds until the current window ends and addresses may report again."""
        return int(self.limits.window_s - self._clock() % self.limits.window_s) + 1

    def _forget_before(self, moment: float) -> None:
        while self._views and next(iter(self._views.values())) < moment:
            self._views.popitem(last=False)
