"""Python's cyclic garbage collector paused for a migration call. A batch builds thousands of
documents whose child rows point back at them; the collector, triggered by allocations, walked
them again and again while the batch was being validated (a few percent of a call). Reference
counting still frees what is not in a cycle; the cycles of the call are collected once the
collector runs again. The collector is per process: a call that finds it already paused (another
thread's call) leaves it to that call to resume it."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
	was_enabled = gc.isenabled()
	gc.disable()
	try:
		yield
	finally:
		if was_enabled:
			gc.enable()
