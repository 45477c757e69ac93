"""The name part of `keys_for` for many names: memoised, and on big loads worked out in a second process.

Working out a name's pinyin readings (pypinyin, heteronyms) takes about 50 µs: for a million
clients the largest single cost of the demo, and SQLite's inserts keep only one core busy. So a
load of PARALLEL_FROM clients or more hands each batch's new names to a worker process and
writes the batch's clients meanwhile. Keys depend on the name alone, so the result is the same
either way. The worker is forked (a spawned one would run the calling script's `__main__` again)
and never touches the database connection it inherits; pool workers leave with `os._exit`, so
nothing of that connection is closed or flushed from the child either.
"""

import multiprocessing
import os
from collections.abc import Iterable

from amdesk.clients.search import keys_for

PARALLEL_FROM = 50_000
CACHE_LIMIT = 300_000  # names remembered (a million clients have ~550,000 distinct names)
CHUNK = 2_000


def name_keys(name: str) -> tuple[str, ...]:
    return tuple(keys_for(name=name))


class NameKeys:
    """`start(names)` a batch, `finish` it, then `keys[name]` for each of its names."""

    def __init__(self, *, parallel: bool):
        self.cache: dict[str, tuple[str, ...]] = {}
        use_worker = parallel and (os.cpu_count() or 1) > 1
        self.pool = multiprocessing.get_context("fork").Pool(1) if use_worker else None

    def __enter__(self) -> "NameKeys":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()

    def start(self, names: Iterable[str]):
        if len(self.cache) > CACHE_LIMIT:  # only one batch is ever pending: nothing it needs is lost
            self.cache.clear()
        missing = list(dict.fromkeys(name for name in names if name not in self.cache))
        if self.pool is None:
            return missing, [name_keys(name) for name in missing]
        return missing, self.pool.map_async(name_keys, missing, chunksize=CHUNK)

    def finish(self, pending) -> None:
        missing, keys = pending
        self.cache.update(zip(missing, keys if isinstance(keys, list) else keys.get(), strict=True))

    def __getitem__(self, name: str) -> tuple[str, ...]:
        return self.cache[name]
