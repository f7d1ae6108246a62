"""The load benchmark (``manage.py bench_load``): gunicorn and PostgreSQL on loopback,
driven by locust in timed phases, reported against the bare ``/healthz/`` endpoint.

``endpoints`` (the requests and the credentials file, pure), ``report`` (locust's stats
to a table, pure), ``prepare`` (the data set and the simulated users' tokens),
``runner`` (gunicorn and locust as child processes) and ``locustfile`` (the simulated
users; imported only by locust, which patches the standard library with gevent).
"""
