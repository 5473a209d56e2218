"""A sample downstream suite: tests another team would write against modelunit.

It imports only modelunit's public API (a test in ``tests/test_testing.py`` checks), so
it is also a check that the public API is enough to test an application built on it.
"""
